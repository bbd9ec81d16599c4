#pragma once
// A plain HTTP server on 127.0.0.1:0 that records every request and answers from a script
// (200 "{}" by default): the fake for the agency's callback endpoint and other simple peers.

#include "bot/core/http_types.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace signoff::test {

class recording_server {
public:
    recording_server();
    ~recording_server();
    recording_server(recording_server const&) = delete;
    recording_server& operator=(recording_server const&) = delete;

    std::uint16_t port() const;
    std::string url(std::string const& path) const;  // "http://127.0.0.1:PORT/path"

    struct request {
        std::string method;
        std::string target;
        header_list headers;
        std::string body;
        int answered = 0;  // the status it got
        std::string header(std::string_view name) const;
    };
    std::vector<request> requests() const;
    bool wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    // The next requests get these statuses, in order; afterwards 200 again.
    void answer_next(std::vector<int> statuses);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace signoff::test
