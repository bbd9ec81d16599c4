#pragma once
// The long-lived services a request handler may use, wired once in main.

#include "bot/media/library.hpp"
#include "bot/net/metrics.hpp"
#include "bot/core/time.hpp"
#include "config/config.hpp"
#include "store/reader_pool.hpp"
#include "store/writer.hpp"

#include <boost/asio/any_io_executor.hpp>

namespace signoff {

struct app {
    config::config const& cfg;
    store::writer& writer;
    store::reader_pool& readers;
    clock const& clk;
    metrics& registry;
    media::library const& media;         // uploaded creatives on disk, and their signed links
    boost::asio::any_io_executor bulk;  // long reads (exports) run here, never on the I/O threads
};

}  // namespace signoff
