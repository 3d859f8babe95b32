#!/usr/bin/python3
"""Serves a directory of saved bill pages on loopback, like a well-behaved legislature site.

Binds 127.0.0.1 on a port the kernel picks and prints "PORT <n>" on one line. Each file is
sent with a Content-Type from its extension (.md as text/markdown, which Python's own
http.server does not know) and an ETag derived from its content; a request whose
If-None-Match matches gets 304 Not Modified. Replacing a file changes what is served.
Runs until SIGTERM or SIGINT. Used by `./run demo`; never reaches beyond loopback.
"""
import argparse
import hashlib
import http.server
import os
import signal
import sys
import threading

TYPES = {
    ".md": "text/markdown; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
}


class Handler(http.server.BaseHTTPRequestHandler):
    root = "."

    def do_GET(self):
        # Files are served under their path below the root (govinfo's layout for the
        # federal part of the demo); nothing outside the root is ever served.
        relative = os.path.normpath(self.path.split("?", 1)[0].lstrip("/"))
        path = os.path.join(self.root, relative)
        name = os.path.basename(relative)
        inside = os.path.realpath(path).startswith(os.path.realpath(self.root) + os.sep)
        if not name or not inside or not os.path.isfile(path):
            self.send_error(404, "no such page")
            return
        with open(path, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(os.path.splitext(name)[1], "text/plain"))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("fixture_httpd: %s\n" % (fmt % args))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory")
    args = parser.parse_args()
    Handler.root = args.directory
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
