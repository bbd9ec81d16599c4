#!/usr/bin/python3
"""The checks of scripts/chaos.sh, on the store read-only (the server may be running on it).

  check.py acks DB ACKS_FILE LOST_FILE ROUND
      Every acknowledged effect in ACKS_FILE (load.py's lines) must be in the store and, where
      it is a change, in the audit trail, and none may be there twice (an item per external_ref,
      a decision or an answer per inbound message: redeliveries must not apply again). Prints
      "checked N lost M doubles D"; each lost or doubled effect is appended to LOST_FILE with
      the round it was found in.
        item      the items row, its "submitted" event with the assignee's card queued in the same
                  transaction, and the Idempotency-Key's stored answer naming the same id
        replay    the Idempotency-Key's stored answer names the id the replay got
        decision  the decision's event (channel api, the person as actor or on_behalf_of), for an
                  approval the person's step approved, and what the event's transaction queued (the
                  callback, or the next approver's card)
        webhook   the platform's dedupe key in inbound_keys and the answer in the outbox, quoting
                  the message; for a decision also its event (same channel, the inbound message id
                  as platform_message_id), the step and the queued messages as above ("pending"
                  and "show" are reads: no audit event; a sticker has no effect but its dedupe key;
                  a WhatsApp status is recorded on the outbox row of its message)
  check.py outbox DB RECEIPTS_FILE
      After the drain: no outbox row is still queued, and every row marked sent was received by a
      fake at least once (matched by the message id the fake answered with, the callback's body,
      or, for cards sent together as one list, the list naming each item). Prints
      "committed N delivered N dead N lost N duplicates N late N skipped N"; the lost rows on stderr.
        duplicates  messages the fakes accepted beyond the first for one row (at-least-once)
        late        of those, accepted only after the server had given up waiting (held past
                    its timeout)
        skipped     rows marked sent with nothing to send (a WhatsApp/WeCom card update for the
                    person who decided: those platforms cannot edit, and the decider was told)
"""
import json
import re
import sqlite3
import sys
from collections import Counter, defaultdict

DECISION_EVENTS = {"approve": ("step_approved", "approved"), "interim": ("interim_response",)}


def open_ro(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    db.execute("PRAGMA query_only = ON")
    return db


def one(db, sql, *args):
    return db.execute(sql, args).fetchone()


def caused(db, item, event_type, at_ms):
    """What is missing of the messages the event's transaction queued: a callback for a decision that
    finishes a step chain or answers a complaint, the next approver's card for a step approved, the
    assignee's card for a submission."""
    purpose = "item_card" if event_type in ("submitted", "step_approved") else "callback"
    if not one(db, "SELECT 1 FROM outbox WHERE item_id = ? AND created_ms = ? AND purpose = ?", item, at_ms, purpose):
        return f"no {purpose} queued with the {event_type} event"
    return None


def decided(db, item, person, action, channel, msg=None):
    types = DECISION_EVENTS[action]
    sql = ("SELECT type, at_ms FROM events WHERE item_id = ? AND channel = ? AND type IN (%s) "
           "AND (actor = ? OR on_behalf_of = ?)" % ",".join("?" * len(types)))
    args = [item, channel, *types, person, person]
    if msg is not None:
        sql += " AND platform_message_id = ?"
        args.append(msg)
    event = one(db, sql, *args)
    if not event:
        return "no %s event" % "/".join(types)
    if action == "approve" and not one(db, "SELECT 1 FROM steps WHERE item_id = ? AND person = ? AND status = 'approved'",
                                       item, person):
        return "no approved step"
    return caused(db, item, *event)


_answers = None


def answers(db):
    """(channel, message id) of every inbound message the outbox holds an answer to, read once."""
    global _answers
    if _answers is None:
        _answers = set(db.execute("SELECT channel, json_extract(payload, '$.reply_to') AS r FROM outbox "
                                  "WHERE r IS NOT NULL"))
    return _answers


def check_ack(db, a):
    """None when the acknowledged effect is there, else what is missing."""
    t = a["type"]
    if t in ("item", "replay"):
        row = one(db, "SELECT response FROM idempotency WHERE key_name = ? AND idem_key = ?", a["key_name"], a["idem"])
        if not row:
            return "no idempotency row"
        if json.loads(row[0]).get("id") != a["id"]:
            return "idempotency row names another item"
        if not one(db, "SELECT 1 FROM items WHERE id = ?", a["id"]):
            return "no items row"
        event = one(db, "SELECT type, at_ms FROM events WHERE item_id = ? AND type = 'submitted'", a["id"])
        if not event:
            return "no submitted event"
        return caused(db, a["id"], *event)
    if t == "decision":
        return decided(db, a["item"], a["person"], a["action"], "api")
    if t == "webhook":
        if not one(db, "SELECT 1 FROM inbound_keys WHERE channel = ? AND key = ?", a["channel"], a["key"]):
            return "no inbound key"
        if a["cmd"] == "sticker":
            return None  # nothing to answer
        if a["cmd"] == "status":
            if not one(db, "SELECT 1 FROM outbox WHERE channel = ? AND platform_message_id = ? "
                           "AND delivery_status IS NOT NULL", a["channel"], a["msg"]):
                return "status not recorded on its message"
            return None
        if (a["channel"], a["msg"]) not in answers(db):
            return "no answer in the outbox"
        if a["cmd"] in DECISION_EVENTS:
            return decided(db, a["item"], a["person"], a["cmd"], a["channel"], a["msg"])
        return None
    return "unknown ack type " + t


def acks(db_path, acks_path, lost_path, round_no):
    db = open_ro(db_path)
    db.execute("BEGIN")  # one snapshot for all the checks, while the server writes
    checked = lost = 0
    with open(acks_path) as f, open(lost_path, "a") as out:
        for line in f:
            if not line.endswith("\n"):
                continue  # a line the load was writing when it stopped: not acknowledged yet
            a = json.loads(line)
            checked += 1
            why = check_ack(db, a)
            if why:
                lost += 1
                out.write(json.dumps({"round": round_no, "why": why, "ack": a}) + "\n")
    doubles = applied_twice(db)
    with open(lost_path, "a") as out:
        for what in doubles:
            out.write(json.dumps({"round": round_no, "why": "applied twice", "double": what}) + "\n")
    print(f"checked {checked} lost {lost} doubles {len(doubles)}")


def applied_twice(db):
    """Effects that are there twice: an item per external_ref (each Idempotency-Key's body has its
    own), a decision per inbound message, an answer per inbound message."""
    out = []
    for ref, n in db.execute("SELECT external_ref, COUNT(*) FROM items WHERE external_ref IS NOT NULL "
                             "GROUP BY external_ref HAVING COUNT(*) > 1 ORDER BY 1"):
        out.append(f"{n} items with external_ref {ref}")
    types = [t for ts in DECISION_EVENTS.values() for t in ts]
    for channel, msg, n in db.execute(
            "SELECT channel, platform_message_id, COUNT(*) FROM events WHERE platform_message_id IS NOT NULL "
            "AND type IN (%s) GROUP BY 1, 2 HAVING COUNT(*) > 1 ORDER BY 1, 2" % ",".join("?" * len(types)), types):
        out.append(f"{n} decisions from {channel} message {msg}")
    for channel, msg, n in db.execute(
            "SELECT channel, json_extract(payload, '$.reply_to') AS r, COUNT(*) FROM outbox WHERE r IS NOT NULL "
            "GROUP BY 1, 2 HAVING COUNT(*) > 1 ORDER BY 1, 2"):
        out.append(f"{n} answers to {channel} message {msg}")
    return out


def outbox(db_path, receipts_path):
    db = open_ro(db_path)
    rows = db.execute("SELECT id, channel, address, purpose, item_id, status, platform_message_id, payload "
                      "FROM outbox ORDER BY id").fetchall()
    receipts = [json.loads(line) for line in open(receipts_path) if line.endswith("\n")]
    by_key = defaultdict(list)  # (fake, kind, id) → receipts
    for i, r in enumerate(receipts):
        by_key[(r["fake"], r["kind"], r["id"])].append(i)
    used = set()
    counts = Counter(committed=len(rows))
    lost_rows = []
    lists = defaultdict(list)  # (channel, address, head row) → item ids sent as one list
    want = defaultdict(int)    # receipt key → rows that need it (edits of one message share the key)
    for rid, channel, address, purpose, item, status, pmid, payload in rows:
        p = json.loads(payload)
        if status == "queued":
            counts["lost"] += 1
            lost_rows.append((rid, channel, purpose, "still queued after the drain"))
            continue
        if status in ("dead", "undeliverable"):
            counts["dead"] += 1
            continue
        counts["delivered"] += 1
        if "listed_with" in p:
            lists[(channel, address, p["listed_with"])].append(item)
            continue
        if channel == "callback":
            key = ("callback", "callback", json.dumps(p, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
        elif pmid is None:
            if channel in ("whatsapp", "wecom") and purpose in ("card_update", "press_answer"):
                counts["skipped"] += 1
            else:
                counts["lost"] += 1
                lost_rows.append((rid, channel, purpose, "marked sent without a message id"))
            continue
        elif channel == "telegram":
            key = ("telegram", "edit" if p.get("edit_message_id") else "send", pmid)
        else:
            key = (channel, "send", pmid)
        want[key] += 1
        if want[key] > len(by_key.get(key, [])):
            counts["lost"] += 1
            lost_rows.append((rid, channel, purpose, f"no receipt for {key[1]} {pmid if channel != 'callback' else ''}"))
        else:
            used.update(by_key[key][:want[key]])
    # A list: one message to the chat naming every listed item ("send: show N", in English).
    for (channel, address, head), items in lists.items():
        found = None
        for i, r in enumerate(receipts):
            if i in used or r["fake"] != channel or r["kind"] != "send" or str(r["to"]) != str(address):
                continue
            if all(re.search(r"show %d\b" % it, r["body"] or "") for it in items):
                found = i
                break
        if found is None:
            counts["lost"] += len(items)
            lost_rows.append((head, channel, "item_card", f"no list message naming items {items}"))
        else:
            used.add(found)
    extra = [r for i, r in enumerate(receipts) if i not in used]
    counts["duplicates"] = len(extra)
    counts["late"] = sum(1 for r in extra if r.get("late"))
    for rid, channel, purpose, why in lost_rows[:50]:
        print(f"check: outbox row {rid} ({channel}, {purpose}): {why}", file=sys.stderr)
    print(" ".join(f"{k} {counts[k]}" for k in
                   ("committed", "delivered", "dead", "lost", "duplicates", "late", "skipped")))


if __name__ == "__main__":
    if sys.argv[1] == "acks":
        acks(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif sys.argv[1] == "outbox":
        outbox(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: check.py acks DB ACKS LOST ROUND | check.py outbox DB RECEIPTS")
