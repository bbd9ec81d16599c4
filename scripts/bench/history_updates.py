#!/usr/bin/env python3
"""Writes the Telegram updates of the `history` scenario, one per line, for the load generators.

The mix is what a busy office sends a year-old store: `approve N` typed by N's assignee and the
Approve button pressed on N's card (each open item of the store once, in turn, until they run
out; then the same items again, answered "already decided"), `pending` from people with items
waiting, `show N` of any item, and messages from strangers (chat ids outside the directory).

Each line is an Update without its update_id: it starts with the comma after it, so a load
generator writes '{"update_id":' + <a fresh id> + line. Reads the store read-only (sqlite3) and
the directory from the configuration the server runs (people's Telegram ids).

  history_updates.py --db FILE --config FILE --count N --out FILE
"""

import argparse
import json
import random
import sqlite3
import sys

MIX = [("approve", 10), ("button", 10), ("pending", 30), ("show", 25), ("stranger", 25)]  # per cent


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--count", type=int, default=300000)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=20261202)
    a = p.parse_args()
    rng = random.Random(a.seed)
    people = {x["id"]: x["telegram"] for x in json.load(open(a.config, encoding="utf-8"))["people"] if "telegram" in x}
    db = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    # The open items in the order they were submitted, with the card each assignee last received
    # (its platform message id carries the button press, as on Telegram).
    open_items = db.execute(
        "SELECT i.id, i.assignee, i.revision, (SELECT o.platform_message_id FROM outbox o WHERE o.item_id = i.id "
        "AND o.recipient = i.assignee AND o.purpose = 'item_card' AND o.status = 'sent' ORDER BY o.id DESC LIMIT 1) "
        "FROM items i WHERE i.status = 'pending' AND i.assignee IS NOT NULL ORDER BY i.id").fetchall()
    open_items = [row for row in open_items if row[1] in people and row[3] is not None]
    waiting = sorted({row[1] for row in open_items})
    max_item = db.execute("SELECT COALESCE(MAX(id), 1) FROM items").fetchone()[0]
    if not open_items:
        # An empty store: the same mix, about items that do not exist (answered as such).
        open_items = [(1000000 + n, sorted(people)[n % len(people)], 1, 1) for n in range(1000)]
        waiting = sorted(people)
    kinds = [k for k, share in MIX for _ in range(share)]
    next_open = 0
    with open(a.out, "w", encoding="utf-8") as out:
        for n in range(a.count):
            kind = rng.choice(kinds)
            if kind in ("approve", "button"):
                item, person, revision, card = open_items[next_open % len(open_items)]
                next_open += 1
                chat = people[person]
                if kind == "approve":
                    update = message(n, chat, "approve %d" % item)
                else:
                    update = press(n, chat, "a:%d:%d" % (item, revision), int(card))
            elif kind == "pending":
                update = message(n, people[rng.choice(waiting)], "pending")
            elif kind == "show":
                update = message(n, people[rng.choice(sorted(people))], "show %d" % rng.randint(1, max_item))
            else:
                update = message(n, 900000000 + rng.randint(0, 99999), "hello, is anyone there?")
            line = json.dumps(update, ensure_ascii=False, separators=(",", ":"))
            assert line.startswith('{"update_id":0,')
            out.write(line[len('{"update_id":0'):] + "\n")
    print("bench: history updates: %d written to %s; %d open items to approve (%d approvals and taps before "
          "they repeat)" % (a.count, a.out, len(open_items), len(open_items)), file=sys.stderr)


def sender(chat):
    return {"id": chat, "is_bot": False, "first_name": "Bench", "language_code": "en"}


def message(n, chat, text):
    return {"update_id": 0, "message": {"message_id": 10 + n, "from": sender(chat),
                                        "chat": {"id": chat, "first_name": "Bench", "type": "private"},
                                        "date": 1790000000, "text": text}}


def press(n, chat, data, card):
    return {"update_id": 0, "callback_query": {
        "id": "bench%d" % n, "from": sender(chat), "chat_instance": "1", "data": data,
        "message": {"message_id": card, "from": {"id": 123456, "is_bot": True, "first_name": "signoff"},
                    "chat": {"id": chat, "first_name": "Bench", "type": "private"}, "date": 1790000000,
                    "text": "card"}}}


if __name__ == "__main__":
    main()
