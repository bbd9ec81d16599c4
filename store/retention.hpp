#pragma once
// Bounded growth (SPEC §4 store.*_retention_days): deletes finished outbox rows, webhook dedupe
// keys and idempotency keys older than their retention, oldest first and a bounded number per
// call, so that each call is one short write transaction. Audit events are never deleted.

#include "bot/core/time.hpp"
#include "store/sqlite.hpp"

namespace signoff::store {

struct retention_cutoffs {
    millis outbox_before = 0;   // sent, dead and undeliverable rows last changed before this go
    millis inbound_before = 0;  // dedupe and idempotency keys recorded before this go
};

struct pruned_rows {
    int outbox = 0;
    int inbound_keys = 0;
    int idempotency = 0;
    int total() const { return outbox + inbound_keys + idempotency; }
};

// Deletes at most `limit` rows of each kind. The messages of an item still open are kept
// whatever their age: a quote-reply to its card, or the edit after its decision, needs them.
pruned_rows prune(sqlite::database& db, retention_cutoffs const& cutoffs, int limit);

}  // namespace signoff::store
