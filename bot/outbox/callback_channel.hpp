#pragma once
// The agency's callback (SPEC §5) as one more outbound channel: the row's payload is the exact
// body, signed with X-Signoff-Signature, POSTed to api.callback.url and retried like any message.

#include "adapters/channel.hpp"
#include "config/config.hpp"

#include <memory>

namespace signoff::outbox {

std::unique_ptr<channels::channel> make_callback_channel(config::api_config const& api);

}  // namespace signoff::outbox
