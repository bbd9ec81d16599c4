#!/usr/bin/python3
"""Fake platform servers for scripts/chaos.sh, on 127.0.0.1 only, in one process.

  fakes.py PORTS_FILE RECEIPTS_FILE SEED

Serves four fakes, each on its own ephemeral port, and writes {"telegram": PORT, ...} to
PORTS_FILE once all listen:
  telegram  the Bot API: POST /bot<token>/<method> (sendMessage, editMessageText, ...)
  whatsapp  the Cloud API: POST /<phone_number_id>/messages with the bearer token
  wecom     GET /cgi-bin/gettoken, POST /cgi-bin/message/send and /cgi-bin/message/update_template_card
  callback  the agency's callback URL: POST /hooks/signoff, X-Signoff-Signature checked

While the chaos is on, each request is answered at random (about 10% each) with the platform's
rate-limit answer (Telegram 429 with parameters.retry_after, WhatsApp 429 code 130429 with
Retry-After, WeCom errcode 45009, the callback 429 with Retry-After), with a 500, or held past
the server's 15 s client timeout (HOLD_SECONDS) and then answered as a success; otherwise it
succeeds at once. SIGUSR1 turns the chaos off: held requests are dropped at once (the
connection closed unanswered) and every later request succeeds.

Every message accepted is appended to RECEIPTS_FILE as one JSON line: fake, kind ("send",
"edit", "callback", "card_update"), id (the message id the fake answered with: Telegram
message_id, WhatsApp wamid, WeCom msgid; for the callback the body's canonical JSON), to
(chat, wa_id or userid), body (the request body) and late (true when the answer came after
the hold, so the sender had already given up on it). Requests with a wrong token or signature
are answered as the platform would (401/403/40014) and not logged as accepted.
"""
import hashlib
import hmac
import http.server
import itertools
import json
import os
import random
import signal
import sys
import threading
import time
import urllib.parse

HOLD_SECONDS = 16.0  # past the server's outbound timeout of 15 s
FAIL_RATE = 0.10     # of each: rate limit, 500, hold

TELEGRAM_TOKEN = os.environ["TELEGRAM_BOT_TOKEN"]
WHATSAPP_TOKEN = os.environ["WHATSAPP_TOKEN"]
WHATSAPP_PHONE_NUMBER_ID = os.environ["WHATSAPP_PHONE_NUMBER_ID"]
WECOM_CORP_ID = os.environ["WECOM_CORP_ID"]
WECOM_SECRET = os.environ["WECOM_SECRET"]
CALLBACK_SECRET = os.environ["SIGNOFF_CALLBACK_SECRET"]

chaos_off = threading.Event()
lock = threading.Lock()
ids = itertools.count(1)
rng = random.Random()
receipts = None
tokens = set()  # WeCom access tokens handed out


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fate():
    """What to do with this request: "ok", "limit", "error" or "hold"."""
    if chaos_off.is_set():
        return "ok"
    with lock:
        r = rng.random()
    if r < FAIL_RATE:
        return "limit"
    if r < 2 * FAIL_RATE:
        return "error"
    if r < 3 * FAIL_RATE:
        return "hold"
    return "ok"


def log_receipt(**entry):
    with lock:
        receipts.write(json.dumps(entry, ensure_ascii=False) + "\n")
        receipts.flush()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake = ""

    def log_message(self, *args):  # quiet
        pass

    def reply(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def hold(self):
        """Holds the request past the client's timeout; False when the chaos was turned off meanwhile
        (the connection is then closed unanswered)."""
        if chaos_off.wait(HOLD_SECONDS):
            self.close_connection = True
            return False
        return True

    def do_GET(self):
        self.handle_request("GET")

    def do_POST(self):
        self.handle_request("POST")

    def handle_request(self, method):
        body = self.read_body()
        url = urllib.parse.urlsplit(self.path)
        try:
            getattr(self, "serve_" + self.fake)(method, url, body)
        except Exception as e:  # a fake bug must show, not hang the server's delivery
            print(f"fakes: {self.fake} {self.path}: {e!r}", file=sys.stderr, flush=True)
            self.reply(400, {"error": str(e)})

    # ---- Telegram -------------------------------------------------------------------------
    def serve_telegram(self, method, url, body):
        prefix = "/bot" + TELEGRAM_TOKEN + "/"
        if not url.path.startswith(prefix):
            return self.reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        api = url.path[len(prefix):]
        req = json.loads(body or b"{}")
        what = fate()
        if what == "limit":
            return self.reply(429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                    "parameters": {"retry_after": 1}})
        if what == "error":
            return self.reply(500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})
        late = what == "hold"
        if late and not self.hold():
            return
        chat = req.get("chat_id")
        if api in ("editMessageText", "editMessageReplyMarkup", "editMessageCaption"):
            message_id = int(req["message_id"])
            kind = "edit"
        elif api == "answerCallbackQuery":
            log_receipt(fake="telegram", kind="press_answer", id=req.get("callback_query_id"), to=None,
                        body=canonical(req), late=late)
            return self.reply(200, {"ok": True, "result": True})
        else:
            message_id = next(ids)
            kind = "send"
        log_receipt(fake="telegram", kind=kind, id=str(message_id), to=str(chat), body=canonical(req), late=late)
        self.reply(200, {"ok": True, "result": {"message_id": message_id, "date": int(time.time()),
                                                "chat": {"id": int(chat), "type": "private"},
                                                "text": req.get("text", req.get("caption", ""))}})

    # ---- WhatsApp Cloud API ---------------------------------------------------------------
    def serve_whatsapp(self, method, url, body):
        if self.headers.get("Authorization") != "Bearer " + WHATSAPP_TOKEN:
            return self.reply(401, {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException",
                                              "code": 190}})
        if url.path != "/" + WHATSAPP_PHONE_NUMBER_ID + "/messages":
            return self.reply(400, {"error": {"message": "Unsupported post request", "type": "GraphMethodException",
                                              "code": 100}})
        req = json.loads(body or b"{}")
        what = fate()
        if what == "limit":
            return self.reply(429, {"error": {"message": "(#130429) Rate limit hit", "type": "OAuthException",
                                              "code": 130429, "fbtrace_id": "chaos"}}, [("Retry-After", "1")])
        if what == "error":
            return self.reply(500, {"error": {"message": "An unknown error has occurred.", "type": "OAuthException",
                                              "code": 1, "is_transient": True, "fbtrace_id": "chaos"}})
        late = what == "hold"
        if late and not self.hold():
            return
        wamid = "wamid.chaos%06d" % next(ids)
        log_receipt(fake="whatsapp", kind="send", id=wamid, to=req.get("to"), body=canonical(req), late=late)
        self.reply(200, {"messaging_product": "whatsapp", "contacts": [{"input": req.get("to"), "wa_id": req.get("to")}],
                         "messages": [{"id": wamid}]})

    # ---- WeCom ----------------------------------------------------------------------------
    def serve_wecom(self, method, url, body):
        query = urllib.parse.parse_qs(url.query)
        what = fate()
        if what == "error":
            return self.reply(500, b"Internal Server Error")
        if what == "limit":
            return self.reply(200, {"errcode": 45009, "errmsg": "api freq out of limit"})
        late = what == "hold"
        if late and not self.hold():
            return
        if url.path == "/cgi-bin/gettoken":
            if query.get("corpid") != [WECOM_CORP_ID] or query.get("corpsecret") != [WECOM_SECRET]:
                return self.reply(200, {"errcode": 40001, "errmsg": "invalid credential"})
            token = "chaos-token-%d" % next(ids)
            with lock:
                tokens.add(token)
            return self.reply(200, {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})
        token = (query.get("access_token") or [""])[0]
        with lock:
            known = token in tokens
        if not known:
            return self.reply(200, {"errcode": 40014, "errmsg": "invalid access_token"})
        req = json.loads(body or b"{}")
        if url.path == "/cgi-bin/message/send":
            msgid = "wecom-chaos-%06d" % next(ids)
            log_receipt(fake="wecom", kind="send", id=msgid, to=req.get("touser"), body=canonical(req), late=late)
            return self.reply(200, {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": msgid})
        if url.path == "/cgi-bin/message/update_template_card":
            log_receipt(fake="wecom", kind="card_update", id=req.get("response_code"), to=(req.get("userids") or [None])[0],
                        body=canonical(req), late=late)
            return self.reply(200, {"errcode": 0, "errmsg": "ok", "invaliduser": []})
        self.reply(404, {"errcode": 404, "errmsg": "no such api"})

    # ---- the agency's callback URL --------------------------------------------------------
    def serve_callback(self, method, url, body):
        expected = "sha256=" + hmac.new(CALLBACK_SECRET.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(self.headers.get("X-Signoff-Signature", ""), expected):
            return self.reply(401, {"error": "bad signature"})
        what = fate()
        if what == "limit":
            return self.reply(429, {"error": "slow down"}, [("Retry-After", "1")])
        if what == "error":
            return self.reply(500, {"error": "internal"})
        late = what == "hold"
        if late and not self.hold():
            return
        payload = json.loads(body)
        log_receipt(fake="callback", kind="callback", id=canonical(payload), to=None, body=None, late=late)
        self.reply(200, {"ok": True})


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a killed server drops its connections
            super().handle_error(request, client_address)


def main():
    global receipts
    ports_file, receipts_file, seed = sys.argv[1], sys.argv[2], sys.argv[3]
    rng.seed(seed)
    receipts = open(receipts_file, "a", encoding="utf-8")
    ports = {}
    for name in ("telegram", "whatsapp", "wecom", "callback"):
        handler = type(name + "_handler", (Handler,), {"fake": name})
        server = Server(("127.0.0.1", 0), handler)
        ports[name] = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
    signal.signal(signal.SIGUSR1, lambda *_: chaos_off.set())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    tmp = ports_file + ".tmp"
    with open(tmp, "w") as f:
        json.dump(ports, f)
    os.rename(tmp, ports_file)
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
