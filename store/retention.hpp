#pragma once
// Bounded growth (SPEC §4 store.*_retention_days): deletes finished outbox rows, webhook dedupe
// keys, idempotency keys and strangers' refusal times older than their retention, oldest first and a bounded number per
// call, so that each call is one short write transaction. Audit events are never deleted.

#include "bot/core/time.hpp"
#include "store/sqlite.hpp"

namespace signoff::store {

struct retention_cutoffs {
    millis outbox_before = 0;   // sent, dead and undeliverable rows last changed before this go
    millis inbound_before = 0;  // dedupe and idempotency keys and refusal times recorded before this go
};

struct pruned_rows {
    int outbox = 0;
    int inbound_keys = 0;
    int idempotency = 0;
    int stranger_refusals = 0;
    int total() const { return outbox + inbound_keys + idempotency + stranger_refusals; }
    // Whether some kind filled its batch of `limit`, so more of it may be waiting.
    bool filled(int limit) const {
        return outbox >= limit || inbound_keys >= limit || idempotency >= limit || stranger_refusals >= limit;
    }
    pruned_rows& operator+=(pruned_rows const& o) {
        outbox += o.outbox, inbound_keys += o.inbound_keys, idempotency += o.idempotency;
        stranger_refusals += o.stranger_refusals;
        return *this;
    }
};

// Deletes at most `limit` rows of each kind. The messages of an item still open are kept
// whatever their age: a quote-reply to its card, or the edit after its decision, needs them.
pruned_rows prune(sqlite::database& db, retention_cutoffs const& cutoffs, int limit);

}  // namespace signoff::store
