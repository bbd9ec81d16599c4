#!/usr/bin/env python3
"""Fixed-rate (open-loop) load of Telegram updates on POST /webhook/telegram, for latency.

wrk sends a new request only when the previous one on its connection is answered, so it
cannot hold a rate, and a slow answer delays the requests behind it without their wait being
counted ("coordinated omission"). Debian has no wrk2, so this is a small stand-in using only
the standard library: asyncio with raw keep-alive HTTP/1.1 connections, one request in flight
per connection, and a schedule fixed in advance (request i is due at start + i / rate). Latency
is measured from the scheduled time to the last byte of the answer, so time spent waiting for
a free connection, or for this generator to get round to it, counts against the server, as
in wrk2. The time from the actual write to the answer ("service time") is printed as well.

Every request is a fresh Update (unique update_id from --id-base upwards): a private text
message "pending" from --person, or with --bodies the lines of a file in turn. After the schedule ends it waits for every answer (up to
--drain seconds), so every update it sent is either answered or reported as lost.

Honesty check: it reports how late its own scheduler was ("dispatch lag") and its CPU use;
when it could not hold the rate itself, it says so, and the latency figures then include its
own delay.

Output lines start with "bench: " (scripts/bench.sh reads them). Exit status 0 when the run
took place (errors are reported, not fatal), 2 on bad arguments or when no connection opens.
"""

import argparse
import asyncio
import collections
import resource
import socket
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--rate", type=float, default=2000.0, help="requests per second (default 2000)")
    p.add_argument("--duration", type=float, default=10.0, help="seconds of schedule (default 10)")
    p.add_argument("--connections", type=int, default=32, help="keep-alive connections (default 32)")
    p.add_argument("--secret", default="bench_secret", help="X-Telegram-Bot-Api-Secret-Token")
    p.add_argument("--person", type=int, default=100000004, help="Telegram id of the sender (ddg-std)")
    p.add_argument("--text", default="pending")
    p.add_argument("--bodies", help="a file of Updates without their update_id, one per line "
                   "(history_updates.py), sent in turn instead of --text from --person")
    p.add_argument("--id-base", type=int, default=50_000_000_000, help="first update_id minus one")
    p.add_argument("--drain", type=float, default=10.0, help="seconds to wait for the last answers")
    a = p.parse_args()
    if a.rate <= 0 or a.duration <= 0 or a.connections <= 0:
        p.error("--rate, --duration and --connections must be positive")
    return a


def percentile(sorted_values, pct):
    """Nearest-rank percentile of an ascending list (never interpolated downwards)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * pct // 100))  # ceil(n * pct / 100)
    return sorted_values[int(rank) - 1]


class Stats:
    def __init__(self):
        self.latency = []        # scheduled time -> answer, seconds
        self.service = []        # write -> answer
        self.dispatch_lag = []   # scheduled time -> the scheduler handing it out
        self.queue_wait = []     # handed out -> written (no free connection)
        self.ok = 0
        self.statuses = collections.Counter()  # non-200 answers by status
        self.lost = 0            # connection closed or broken with a request in flight
        self.connect_errors = 0
        self.timeouts = 0
        self.first_sent = None
        self.last_sent = None
        self.last_answer = None


class Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection with at most one request in flight."""

    def __init__(self, gen):
        self.gen = gen
        self.transport = None
        self.buf = bytearray()
        self.job = None  # (scheduled, dispatched, sent)
        self.closed = False
        self.replaced = False

    def connection_made(self, transport):
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, scheduled, dispatched):
        now = time.monotonic()
        self.job = (scheduled, dispatched, now)
        self.transport.write(self.gen.next_request())
        st = self.gen.stats
        if st.first_sent is None:
            st.first_sent = now
        st.last_sent = now

    def data_received(self, data):
        self.buf += data
        while True:
            head_end = self.buf.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = bytes(self.buf[:head_end]).lower()
            length = 0
            at = head.find(b"\r\ncontent-length:")
            if at >= 0:
                line_end = head.find(b"\r\n", at + 2)
                length = int(head[at + 17:line_end if line_end >= 0 else len(head)].strip())
            elif b"\r\ntransfer-encoding:" in head:
                self.gen.fail(self, "chunked answers are not supported")
                return
            total = head_end + 4 + length
            if len(self.buf) < total:
                return
            status = int(head[9:12])
            close = b"\r\nconnection: close" in head
            del self.buf[:total]
            self.gen.answered(self, status, time.monotonic(), close)
            if close:
                return

    def connection_lost(self, exc):
        self.closed = True
        self.gen.lost(self)


class Generator:
    def __init__(self, args):
        self.a = args
        self.stats = Stats()
        self.idle = collections.deque()
        self.backlog = collections.deque()  # (scheduled, dispatched) waiting for a connection
        self.busy = set()
        self.seq = 0
        self.done = None
        self.finished_scheduling = False
        self.reconnects = 0
        body = ('{"update_id":%d,"message":{"message_id":%d,'
                '"from":{"id":' + str(args.person) + ',"is_bot":false,"first_name":"DDG","language_code":"en"},'
                '"chat":{"id":' + str(args.person) + ',"first_name":"DDG","type":"private"},'
                '"date":' + str(int(time.time())) + ',"text":' + self.json_string(args.text) + '}}')
        self.body_format = body
        self.lines = None
        if args.bodies:
            with open(args.bodies, "rb") as f:
                self.lines = [line.rstrip(b"\n") for line in f if line.strip()]
        self.head_format = ("POST /webhook/telegram HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                            "X-Telegram-Bot-Api-Secret-Token: %s\r\nContent-Length: %%d\r\n\r\n"
                            % (args.host, args.port, args.secret))

    @staticmethod
    def json_string(text):
        import json
        return json.dumps(text, ensure_ascii=False)

    def next_request(self):
        self.seq += 1
        update_id = self.a.id_base + self.seq
        if self.lines:
            body = b'{"update_id":' + str(update_id).encode() + self.lines[(self.seq - 1) % len(self.lines)]
        else:
            body = (self.body_format % (update_id, update_id)).encode()
        return (self.head_format % len(body)).encode() + body

    async def open(self):
        loop = asyncio.get_running_loop()
        try:
            _, conn = await loop.create_connection(lambda: Connection(self), self.a.host, self.a.port)
            return conn
        except OSError as e:
            self.stats.connect_errors += 1
            print(f"bench: connect {self.a.host}:{self.a.port}: {e}", file=sys.stderr)
            return None

    def dispatch(self, scheduled):
        now = time.monotonic()
        self.stats.dispatch_lag.append(now - scheduled)
        if self.idle:
            conn = self.idle.pop()
            self.busy.add(conn)
            self.stats.queue_wait.append(0.0)
            conn.send(scheduled, now)
        else:
            self.backlog.append((scheduled, now))

    def next_job(self, conn):
        """Gives a free connection the oldest waiting request, or puts it back to idle."""
        if conn.closed:
            return
        if self.backlog:
            scheduled, dispatched = self.backlog.popleft()
            self.busy.add(conn)
            self.stats.queue_wait.append(time.monotonic() - dispatched)
            conn.send(scheduled, dispatched)
        else:
            self.idle.append(conn)
            self.check_done()

    def answered(self, conn, status, now, close):
        st = self.stats
        scheduled, dispatched, sent = conn.job
        conn.job = None
        self.busy.discard(conn)
        st.latency.append(now - scheduled)
        st.service.append(now - sent)
        st.last_answer = now
        if status == 200:
            st.ok += 1
        else:
            st.statuses[status] += 1
        if close:
            self.replace(conn)
        else:
            self.next_job(conn)

    def lost(self, conn):
        if conn.job is not None:
            self.stats.lost += 1
            conn.job = None
        self.busy.discard(conn)
        if conn in self.idle:
            self.idle.remove(conn)
        if not self.finished_scheduling and not conn.replaced:
            self.replace(conn)
        self.check_done()

    def fail(self, conn, why):
        print(f"bench: {why}", file=sys.stderr)
        conn.transport.abort()

    def replace(self, conn):
        """Opens a fresh connection in place of one the server closed."""
        conn.replaced = True
        if not conn.closed:
            conn.transport.close()
        self.reconnects += 1

        async def reopen():
            fresh = await self.open()
            if fresh is not None:
                self.next_job(fresh)
            else:
                self.check_done()
        asyncio.ensure_future(reopen())

    def check_done(self):
        if self.finished_scheduling and not self.busy and not self.backlog and self.done and not self.done.done():
            self.done.set_result(None)

    async def run(self):
        a = self.a
        loop = asyncio.get_running_loop()
        self.done = loop.create_future()
        opened = await asyncio.gather(*(self.open() for _ in range(a.connections)))
        conns = [c for c in opened if c is not None]
        if not conns:
            return False
        self.idle.extend(conns)
        total = int(round(a.rate * a.duration))
        interval = 1.0 / a.rate
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        start = time.monotonic() + 0.05
        self.start = start
        i = 0
        while i < total:
            now = time.monotonic()
            due = start + i * interval
            if due > now:
                await asyncio.sleep(due - now)
                continue
            while i < total and start + i * interval <= now:
                self.dispatch(start + i * interval)
                i += 1
            # Let answers be read between bursts even when the scheduler runs late.
            await asyncio.sleep(0)
        self.scheduled = total
        self.schedule_end = time.monotonic()
        self.finished_scheduling = True
        self.check_done()
        try:
            await asyncio.wait_for(asyncio.shield(self.done), timeout=a.drain)
        except asyncio.TimeoutError:
            self.stats.timeouts = len(self.busy) + len(self.backlog)
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        self.cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
        self.wall = time.monotonic() - start
        for c in list(self.idle) + list(self.busy):
            c.transport.close()
        return True

    def report(self):
        a, st = self.a, self.stats
        ms = lambda v: v * 1000.0
        lat = sorted(st.latency)
        svc = sorted(st.service)
        lag = sorted(st.dispatch_lag)
        wait = sorted(st.queue_wait)
        answered = len(lat)
        send_span = (st.last_sent - self.start) if st.last_sent else 0.0
        answer_span = (st.last_answer - self.start) if st.last_answer else 0.0
        offered = self.seq / send_span if send_span > 0 else 0.0
        achieved = answered / answer_span if answer_span > 0 else 0.0
        print(f"bench: fixed rate {a.rate:g}/s for {a.duration:g} s over {a.connections} connections: "
              f"{self.scheduled} scheduled, {self.seq} sent, {answered} answered")
        print(f"bench: achieved rate {achieved:.1f} answers/s (sent at {offered:.1f}/s)")

        def line(name, v):
            return (f"bench: {name} p50 {ms(percentile(v, 50)):.2f} ms, p90 {ms(percentile(v, 90)):.2f} ms, "
                    f"p99 {ms(percentile(v, 99)):.2f} ms, p99.9 {ms(percentile(v, 99.9)):.2f} ms, "
                    f"max {ms(v[-1] if v else float('nan')):.2f} ms")
        print(line("latency from the scheduled send:", lat))
        print(line("service time (write to answer):", svc))
        detail = ", ".join(f"{s} x{n}" for s, n in sorted(st.statuses.items()))
        print(f"bench: non-200 responses {sum(st.statuses.values())}" + (f" ({detail})" if detail else ""))
        print(f"bench: 200 responses {st.ok}; updates sent {self.seq}, unanswered at the end {self.seq - answered}")
        print(f"bench: socket errors connect {st.connect_errors}, lost {st.lost}, timeout {st.timeouts}, "
              f"reconnects {self.reconnects}")
        cpu_pct = 100.0 * self.cpu / self.wall if self.wall > 0 else 0.0
        lag99 = ms(percentile(lag, 99))
        print(f"bench: generator: dispatch lag p50 {ms(percentile(lag, 50)):.2f} ms, p99 {lag99:.2f} ms, "
              f"max {ms(lag[-1]) if lag else float('nan'):.2f} ms; waits for a free connection p99 "
              f"{ms(percentile(wait, 99)):.2f} ms; CPU {cpu_pct:.0f}% of one core")
        # The scheduler wakes from epoll with 1 ms granularity, so up to ~1 ms of lag is inherent
        # (and counted in the latency above). More than that, or a send rate short of the
        # schedule, means this generator, not the server, was the limit.
        problems = []
        if offered < 0.99 * a.rate:
            problems.append(f"sent at {offered:.0f}/s, short of {a.rate:g}/s")
        if lag99 > 2.0:
            problems.append(f"its dispatch lag p99 is {lag99:.2f} ms (> 2 ms)")
        if cpu_pct > 85:
            problems.append(f"it used {cpu_pct:.0f}% of a core")
        if problems:
            print("bench: generator: DID NOT KEEP UP (" + "; ".join(problems) + "); the latency figures "
                  "include its own delay and overstate the server's")
        else:
            print("bench: generator: kept up with the schedule")


def main():
    args = parse_args()
    gen = Generator(args)
    ok = asyncio.run(gen.run())
    if not ok:
        print("bench: no connection could be opened", file=sys.stderr)
        return 2
    gen.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
