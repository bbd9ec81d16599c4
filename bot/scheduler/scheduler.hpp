#pragma once
// Time inside the server (SPEC §7): every tick (`timers.tick_seconds` of the config, 1 s by
// default) it reads the open items whose deadlines are near, and fires their due timers
// (reminders, escalation, urgent escalation) and the daily digest. Each firing claims a marker
// row in the same transaction as its effects, so a timer fires once even across restarts, and
// one missed while the server was down fires on start. Each pass also deletes what is past the
// store's retention (store/retention.hpp), in short write transactions.

#include "bot/app.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>

namespace signoff {

class scheduler {
public:
    scheduler(boost::asio::io_context& ioc, app& a);
    ~scheduler();
    void start();
    void stop();  // thread-safe

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace signoff
