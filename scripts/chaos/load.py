#!/usr/bin/python3
"""The mixed load of one round of scripts/chaos.sh, against a running signoff serve.

  load.py PORT ROUND SEED ACKS_FILE DB

Runs until SIGTERM, with one thread and one
keep-alive connection per stream:
  items      POST /api/v1/items with an Idempotency-Key (agency and prdesk keys, drafts of
             both tiers and complaints), now and then the same key and body again (a replay)
  api        POST /api/v1/items/{id}/decisions (prdesk, for the assignee) on the items with id % 4 == 0
  telegram   webhook updates from the assignee: "approve N" (id % 4 == 1), "pending", "show N"
  whatsapp   signed notifications: "approve N" (id % 4 == 2), and statuses ("delivered") of
             messages the store (DB, read-only at the start) holds as sent without one
  wecom      encrypted callbacks: "approve N" (id % 4 == 3)
  stickers   Telegram stickers from the people, back to back: no effect but the
             dedupe key, which is committed before the 200 all the same
  redeliver  first, the previous round's items and webhooks that got no answer before the kill,
             sent again as they were (same Idempotency-Key, update_id, message id, MsgId), as
             platforms and careful clients do: the server must apply each exactly once
The items to decide and their assignees come from GET /api/v1/items?status=pending (and
status=open for complaints) at the start; each item is decided at most once per round (those
a redelivery decides not at all), so no two streams race for one step. Every item and webhook
request is noted in ACKS_FILE.intents before it is sent, so that the next round can tell which
went unanswered.

Every request answered 2xx is appended to ACKS_FILE as one JSON line naming what it
acknowledged (written and flushed as soon as the answer is read, before the next request;
a redelivery's has "redelivered": true):
  {"type": "item", "id", "key_name", "idem"}, {"type": "replay", "id", "key_name", "idem"},
  {"type": "decision", "item", "person", "action"},
  {"type": "webhook", "channel", "key", "msg", "cmd", "item", "person"} (cmd "status": msg is
  the status's message id)
Ids and keys are unique across rounds: ROUND is part of every one of them.
"""
import base64
import hashlib
import hmac
import http.client
import json
import os
import random
import signal
import sqlite3
import struct
import sys
import threading
import time

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

AGENCY_KEY = "chaos-agency-key"
PRDESK_KEY = "chaos-prdesk-key"
HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = json.load(open(os.path.join(HERE, "config.json")))
PEOPLE = {p["id"]: p for p in CONFIG["people"]}
TOPICS = [t for r in CONFIG["roles"] for t in r["topics"]]

stop = threading.Event()
acks_lock = threading.Lock()


class Client:
    """One keep-alive connection; reconnects after a failure. request() returns (status, body) or None."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            self.conn.request(method, path, body=data, headers=headers or {})
            r = self.conn.getresponse()
            return r.status, r.read()
        except (OSError, http.client.HTTPException):
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            time.sleep(0.05)
            return None


class Load:
    def __init__(self, port, round_no, seed, acks_path, db_path):
        self.port = port
        self.round = round_no
        self.rng = random.Random(f"{seed}-{round_no}")
        self.acks_path = acks_path
        self.acks = open(acks_path, "a", encoding="utf-8")
        self.intents_path = acks_path + ".intents"
        self.intents = open(self.intents_path, "a", encoding="utf-8")
        self.redeliveries = self.unanswered()
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
        self.unconfirmed = db.execute("SELECT platform_message_id, address FROM outbox WHERE channel = 'whatsapp' "
                                      "AND status = 'sent' AND platform_message_id IS NOT NULL "
                                      "AND delivery_status IS NULL ORDER BY id").fetchall()
        db.close()
        sent_statuses = {i["ack"]["msg"] for i in self.redeliveries if i["ack"].get("cmd") == "status"}
        self.unconfirmed = [u for u in self.unconfirmed if u[0] not in sent_statuses]
        self.rng.shuffle(self.unconfirmed)
        self.pending = []   # [{"id", "assignee", "kind"}] from the server at the start
        self.counter = 0
        self.counter_lock = threading.Lock()  # guards counter and pending

    def next_number(self):
        with self.counter_lock:
            self.counter += 1
            return self.round * 100000 + self.counter

    def ack(self, **entry):
        with acks_lock:
            self.acks.write(json.dumps(entry) + "\n")
            self.acks.flush()

    def deliver(self, c, req, ack):
        """Sends a request that a platform (or a careful client) would send again unanswered,
        noting it in the intents file first; acknowledges it on a 2xx. An item's ack gets its id."""
        with acks_lock:
            self.intents.write(json.dumps({"round": self.round, "req": req, "ack": ack}) + "\n")
            self.intents.flush()
        got = c.request(req["method"], req["path"], req["body"].encode(), req["headers"])
        if got and 200 <= got[0] < 300:
            entry = dict(ack)
            if entry["type"] in ("item", "replay"):
                entry["id"] = json.loads(got[1])["id"]
            self.ack(**entry)
        return got

    def unanswered(self):
        """The previous round's items and webhooks that got no 2xx before the kill."""
        acked = set()
        with open(self.acks_path) as f:
            for line in f:
                if line.endswith("\n"):
                    acked.add(ack_key(json.loads(line)))
        out = []
        if os.path.exists(self.intents_path):
            with open(self.intents_path) as f:
                for line in f:
                    if not line.endswith("\n"):
                        continue
                    i = json.loads(line)
                    if i["round"] == self.round - 1 and ack_key(i["ack"]) not in acked:
                        out.append(i)
        return out

    def redeliver(self):
        """Sends the previous round's unanswered requests again, as the platforms do with a webhook
        that got no 200 and a client with an Idempotency-Key does: the server must apply each once."""
        c = Client(self.port)
        for i in self.redeliveries:
            while not stop.is_set():
                got = self.deliver(c, i["req"], dict(i["ack"], redelivered=True))
                if got is not None:
                    break

    def pause(self, lo, hi):
        stop.wait(self.rng.uniform(lo, hi))

    # ---- the items to decide --------------------------------------------------------------
    def fetch_pending(self):
        c = Client(self.port)
        deadline = time.time() + 5
        while time.time() < deadline and not stop.is_set():
            got = c.request("GET", "/api/v1/items?status=pending&limit=500",
                            headers={"Authorization": "Bearer " + PRDESK_KEY})
            got2 = c.request("GET", "/api/v1/items?status=open&limit=200",
                             headers={"Authorization": "Bearer " + PRDESK_KEY}) if got else None
            if got and got2 and got[0] == 200 and got2[0] == 200:
                items = json.loads(got[1])["items"] + json.loads(got2[1])["items"]
                busy = {i["ack"].get("item") for i in self.redeliveries}  # their redelivery decides them
                self.pending = [{"id": i["id"], "assignee": i["assignee"], "kind": i["kind"]}
                                for i in items if i.get("assignee") and i["id"] not in busy]
                self.rng.shuffle(self.pending)
                return
        self.pending = []

    def take(self, remainder):
        """An item with id % 4 == remainder not yet taken this round, or None."""
        with self.counter_lock:
            for i, it in enumerate(self.pending):
                if it["id"] % 4 == remainder:
                    return self.pending.pop(i)
        return None

    # ---- streams --------------------------------------------------------------------------
    def items(self):
        c = Client(self.port)
        last = None
        while not stop.is_set():
            if last and self.rng.random() < 0.15:
                key_name, key, idem, body = last
            else:
                n = self.next_number()
                key_name, key = self.rng.choice([("agency", AGENCY_KEY), ("prdesk", PRDESK_KEY)])
                idem = f"chaos-{n}"
                topic = self.rng.choice(TOPICS)
                if self.rng.random() < 0.2:
                    body = {"kind": "complaint", "title": f"Complaint {n}", "body": f"Chaos complaint {n}.",
                            "topic": topic, "external_ref": f"chaos-{n}",
                            "source": {"platform": "x", "author": f"@citizen{n}"}}
                else:
                    body = {"kind": "draft", "title": f"Chaos draft {n}", "body": f"Round {self.round}, draft {n}.",
                            "platforms": ["x"], "topic": topic, "external_ref": f"chaos-{n}",
                            "tier": "sensitive" if self.rng.random() < 0.3 else "general"}
            replay = last is not None and idem == last[2]
            req = {"method": "POST", "path": "/api/v1/items", "body": json.dumps(body),
                   "headers": {"Authorization": "Bearer " + key, "Content-Type": "application/json",
                               "Idempotency-Key": idem}}
            got = self.deliver(c, req, {"type": "replay" if replay else "item", "key_name": key_name, "idem": idem})
            if got and 200 <= got[0] < 300:
                last = (key_name, key, idem, body)
            self.pause(0.08, 0.2)

    def api_decisions(self):
        c = Client(self.port)
        while not stop.is_set():
            it = self.take(0)
            if it is None:
                self.pause(0.2, 0.3)
                continue
            action = "approve" if it["kind"] == "draft" else "interim"
            body = {"action": action, "person": it["assignee"]}
            if action == "interim":
                body["text"] = "We are looking into it."
            got = c.request("POST", f"/api/v1/items/{it['id']}/decisions", body,
                            {"Authorization": "Bearer " + PRDESK_KEY, "Content-Type": "application/json"})
            if got and 200 <= got[0] < 300:
                self.ack(type="decision", item=it["id"], person=it["assignee"], action=action)
            self.pause(0.1, 0.25)

    def command(self, remainder):
        """A chat command to send: ("approve", item, person), or for Telegram now and then
        ("pending", None, person) or ("show", item, person); None when there is nothing to decide."""
        if remainder == 1 and self.rng.random() < 0.25:
            person = self.rng.choice(list(PEOPLE))
            with self.counter_lock:
                shown = self.rng.choice(self.pending)["id"] if self.pending else None
            if self.rng.random() < 0.5 or shown is None:
                return ("pending", None, person)
            return ("show", shown, person)
        it = self.take(remainder)
        if it is None:
            return None
        verb = "approve" if it["kind"] == "draft" else "interim"
        return (verb, it["id"], it["assignee"])

    def text_of(self, cmd, item):
        if cmd == "pending":
            return "pending"
        if cmd == "interim":
            return f"interim {item} We are on it."
        return f"{cmd} {item}"

    def telegram(self):
        c = Client(self.port)
        secret = os.environ["TELEGRAM_SECRET_TOKEN"]
        while not stop.is_set():
            what = self.command(1)
            if what is None:
                self.pause(0.2, 0.3)
                continue
            cmd, item, person = what
            n = self.next_number()
            user = PEOPLE[person]["telegram"]
            update = {"update_id": n, "message": {
                "message_id": n, "date": int(time.time()), "text": self.text_of(cmd, item),
                "chat": {"id": user, "type": "private", "first_name": person},
                "from": {"id": user, "is_bot": False, "first_name": person, "language_code": "en"}}}
            req = {"method": "POST", "path": "/webhook/telegram", "body": json.dumps(update),
                   "headers": {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}}
            self.deliver(c, req, {"type": "webhook", "channel": "telegram", "key": f"update:{n}", "msg": str(n),
                                  "cmd": cmd, "item": item, "person": person})
            self.pause(0.08, 0.2)

    def stickers(self):
        """Updates the bot does not act on, as fast as they are answered: each is still committed
        (its dedupe key) before its 200, and it queues nothing, so this stream keeps the store's
        writer busy at the moments the kill comes."""
        c = Client(self.port)
        secret = os.environ["TELEGRAM_SECRET_TOKEN"]
        people = list(PEOPLE)
        while not stop.is_set():
            n = self.next_number()
            person = self.rng.choice(people)
            user = PEOPLE[person]["telegram"]
            update = {"update_id": n, "message": {
                "message_id": n, "date": int(time.time()),
                "sticker": {"file_id": f"sticker{n}", "file_unique_id": f"u{n}", "width": 512, "height": 512,
                            "is_animated": False, "is_video": False, "type": "regular"},
                "chat": {"id": user, "type": "private", "first_name": person},
                "from": {"id": user, "is_bot": False, "first_name": person}}}
            req = {"method": "POST", "path": "/webhook/telegram", "body": json.dumps(update),
                   "headers": {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}}
            self.deliver(c, req, {"type": "webhook", "channel": "telegram", "key": f"update:{n}", "msg": str(n),
                                  "cmd": "sticker", "item": None, "person": person})

    def whatsapp(self):
        c = Client(self.port)
        app_secret = os.environ["WHATSAPP_APP_SECRET"].encode()
        number_id = os.environ["WHATSAPP_PHONE_NUMBER_ID"]
        metadata = {"display_phone_number": "15550783881", "phone_number_id": number_id}
        while not stop.is_set():
            if self.unconfirmed and self.rng.random() < 0.3:
                wamid, address = self.unconfirmed.pop()
                value = {"messaging_product": "whatsapp", "metadata": metadata, "statuses": [{
                    "id": wamid, "status": "delivered", "timestamp": str(int(time.time())), "recipient_id": address}]}
                cmd, item, person, msg_id, key = "status", None, None, wamid, f"status:{wamid}:delivered"
            else:
                what = self.command(2)
                if what is None:
                    self.pause(0.2, 0.3)
                    continue
                cmd, item, person = what
                n = self.next_number()
                wa_id = PEOPLE[person]["whatsapp"]
                msg_id = f"wamid.chaos.in.{n}"
                key = f"message:{msg_id}"
                value = {"messaging_product": "whatsapp", "metadata": metadata,
                         "contacts": [{"profile": {"name": person}, "wa_id": wa_id}],
                         "messages": [{"from": wa_id, "id": msg_id, "timestamp": str(int(time.time())), "type": "text",
                                       "text": {"body": self.text_of(cmd, item)}}]}
            note = {"object": "whatsapp_business_account",
                    "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}]}
            body = json.dumps(note)
            sig = "sha256=" + hmac.new(app_secret, body.encode(), hashlib.sha256).hexdigest()
            req = {"method": "POST", "path": "/webhook/whatsapp", "body": body,
                   "headers": {"Content-Type": "application/json", "X-Hub-Signature-256": sig}}
            self.deliver(c, req, {"type": "webhook", "channel": "whatsapp", "key": key, "msg": msg_id,
                                  "cmd": cmd, "item": item, "person": person})
            self.pause(0.08, 0.2)

    def wecom(self):
        c = Client(self.port)
        token = os.environ["WECOM_TOKEN"]
        corp_id = os.environ["WECOM_CORP_ID"]
        aes_key = base64.b64decode(os.environ["WECOM_AES_KEY"] + "=")
        while not stop.is_set():
            what = self.command(3)
            if what is None:
                self.pause(0.2, 0.3)
                continue
            cmd, item, person = what
            n = self.next_number()
            userid = PEOPLE[person]["wecom"]
            inner = (f"<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName>"
                     f"<FromUserName><![CDATA[{userid}]]></FromUserName><CreateTime>{int(time.time())}</CreateTime>"
                     f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{self.text_of(cmd, item)}]]></Content>"
                     f"<MsgId>{n}</MsgId><AgentID>1000002</AgentID></xml>").encode()
            encrypted = wecom_encrypt(inner, corp_id.encode(), aes_key, self.rng.randbytes(16))
            timestamp, nonce = str(int(time.time())), f"nonce{n}"
            signature = hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()
            envelope = (f"<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName>"
                        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>")
            req = {"method": "POST", "path": f"/webhook/wecom?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}",
                   "body": envelope, "headers": {"Content-Type": "text/xml"}}
            self.deliver(c, req, {"type": "webhook", "channel": "wecom", "key": f"msg:{n}", "msg": str(n),
                                  "cmd": cmd, "item": item, "person": person})
            self.pause(0.08, 0.2)


def ack_key(a):
    """What identifies an acknowledged request across a redelivery."""
    if a["type"] == "webhook":
        return ("webhook", a["channel"], a["key"])
    if a["type"] in ("item", "replay"):
        return ("item", a["key_name"], a["idem"])
    return None


def wecom_encrypt(message, receive_id, key, random16):
    """WeCom's callback encryption: AES-256-CBC (IV = the key's first 16 bytes) over
    random16 ‖ length (4 bytes, big-endian) ‖ message ‖ receive id, padded to 32-byte blocks."""
    plain = random16 + struct.pack(">I", len(message)) + message + receive_id
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(plain) + enc.finalize()).decode()


def main():
    port, round_no, seed, acks_path, db_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    load = Load(port, round_no, seed, acks_path, db_path)
    load.fetch_pending()
    threads = [threading.Thread(target=f, daemon=True)
               for f in (load.redeliver, load.items, load.api_decisions, load.telegram, load.whatsapp, load.wecom,
                         load.stickers)]
    for t in threads:
        t.start()
    while not stop.is_set():
        stop.wait(0.5)
    for t in threads:
        t.join(timeout=12)


if __name__ == "__main__":
    main()
