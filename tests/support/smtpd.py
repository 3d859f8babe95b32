#!/usr/bin/python3
"""A real SMTP server on loopback for billwatch's tests and demo.

Starts aiosmtpd on 127.0.0.1 with a port the kernel picks, prints "PORT <n>" on one line
(the parent reads it, so no port is ever hard-coded), and stores every message twice:
  DIR/maildir/new/...  the raw message as received, with X-MailFrom and X-RcptTo added,
  DIR/json/NNNN.json   what a test checks: envelope, decoded headers, the MIME tree and the
                       decoded text/plain and text/html parts.
Runs until SIGTERM or SIGINT.
"""
import argparse
import asyncio
import email
import email.policy
import json
import mailbox
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


def mime_tree(part):
    node = {"content_type": part.get_content_type()}
    if part.is_multipart():
        node["parts"] = [mime_tree(p) for p in part.iter_parts()]
    else:
        node["charset"] = part.get_content_charset()
        node["transfer_encoding"] = part.get("Content-Transfer-Encoding")
    return node


def first_part(message, content_type):
    for part in message.walk():
        if part.get_content_type() == content_type and not part.is_multipart():
            return part.get_content()
    return None


class Handler:
    def __init__(self, directory, replies=None, hold_rcpt=None, hold_after_data=None,
                 count_only=False):
        # Chosen replies per recipient ("who@example.org" -> "550 5.1.1 No such user"), so
        # tests can see a refused or deferred recipient beside accepted ones.
        self.replies = replies or {}
        # Seconds to keep a recipient's first RCPT TO, or the reply to its first message
        # (stored already), waiting: a window in which a test kills the sender.
        self.hold_rcpt = hold_rcpt or {}
        self.hold_after_data = hold_after_data or {}
        # Benchmarks: accept and count, parse nothing, store nothing but DIR/count at exit.
        self.count_only = count_only
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        # Python's Maildir creates cur/new/tmp only when it creates the top directory.
        self.maildir = mailbox.Maildir(os.path.join(directory, "maildir"), create=True)
        self.json_dir = os.path.join(directory, "json")
        os.makedirs(self.json_dir, exist_ok=True)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        hold = self.hold_rcpt.pop(address.lower(), None)
        if hold:
            # A test may wait for this file: the RCPT has arrived and is being held.
            open(os.path.join(self.directory, "holding-" + address.lower()), "w").close()
            await asyncio.sleep(hold)
        reply = self.replies.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        if self.count_only:
            return "250 Message accepted for delivery"
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            # The client's port: messages that share it came over one connection.
            "peer_port": session.peer[1] if session.peer else None,
            "rcpt_tos": list(envelope.rcpt_tos),
            "headers": {k: str(v) for k, v in message.items()},
            "raw_headers": [f"{k}: {v}" for k, v in message.raw_items()],
            "mime": mime_tree(message),
            "text": first_part(message, "text/plain"),
            "html": first_part(message, "text/html"),
        }
        stored = email.message_from_bytes(raw)
        stored["X-MailFrom"] = envelope.mail_from
        stored["X-RcptTo"] = ", ".join(envelope.rcpt_tos)
        self.maildir.add(stored)
        path = os.path.join(self.json_dir, f"{self.count:04d}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, indent=2, ensure_ascii=False)
        os.replace(path + ".tmp", path)  # readers never see a half-written file
        for address in envelope.rcpt_tos:
            hold = self.hold_after_data.pop(address.lower(), None)
            if hold:
                await asyncio.sleep(hold)
        return "250 Message accepted for delivery"


async def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", help="where to store received messages")
    parser.add_argument("--reply", action="append", default=[], metavar="ADDRESS=REPLY",
                        help='answer RCPT TO:<ADDRESS> with REPLY, e.g. "550 5.1.1 No such user"')
    parser.add_argument("--hold-rcpt", action="append", default=[], metavar="ADDRESS=SECONDS",
                        help="answer the first RCPT TO:<ADDRESS> only after SECONDS")
    parser.add_argument("--hold-after-data", action="append", default=[],
                        metavar="ADDRESS=SECONDS",
                        help="store the first message to ADDRESS, then answer after SECONDS")
    parser.add_argument("--count-only", action="store_true",
                        help="store nothing; write the number of messages to DIRECTORY/count")
    parser.add_argument("--offer-auth", action="store_true",
                        help="offer AUTH without STARTTLS (as a hostile or careless server "
                             "would) and record every login in DIRECTORY/auth.log")
    parser.add_argument("--port", type=int, default=0,
                        help="port to listen on (default: one the kernel picks)")
    args = parser.parse_args()

    def address_map(items, convert):
        out = {}
        for item in items:
            address, _, value = item.partition("=")
            out[address.lower()] = convert(value)
        return out

    handler = Handler(args.directory, address_map(args.reply, str),
                      address_map(args.hold_rcpt, float),
                      address_map(args.hold_after_data, float), args.count_only)
    loop = asyncio.get_running_loop()
    def record_login(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult
        login = getattr(auth_data, "login", b"") or b""
        password = getattr(auth_data, "password", b"") or b""
        with open(os.path.join(args.directory, "auth.log"), "a", encoding="utf-8") as f:
            f.write(f"{mechanism} {login.decode(errors='replace')} "
                    f"{password.decode(errors='replace')}\n")
        return AuthResult(success=True)

    def make_smtp():
        if args.offer_auth:
            return SMTP(handler, enable_SMTPUTF8=True, authenticator=record_login,
                        auth_require_tls=False)
        return SMTP(handler, enable_SMTPUTF8=True)

    server = await loop.create_server(make_smtp, host="127.0.0.1", port=args.port)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    # A test process that dies without stopping the server (a sanitizer abort) must not
    # leave it running and holding ctest's output pipe open: stop when orphaned.
    parent = os.getppid()

    async def watch_parent():
        while not stop.is_set():
            if os.getppid() != parent:
                stop.set()
            await asyncio.sleep(0.5)

    watcher = asyncio.create_task(watch_parent())
    await stop.wait()
    watcher.cancel()
    server.close()
    await server.wait_closed()
    with open(os.path.join(args.directory, "count"), "w", encoding="utf-8") as f:
        f.write(f"{handler.count}\n")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except ImportError as e:
        print(f"smtpd.py: {e} (install python3-aiosmtpd)", file=sys.stderr)
        sys.exit(3)
