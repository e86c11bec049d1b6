#!/usr/bin/env python3
"""feed_server.py: a small HTTP server on loopback for the importers' tests.

Serves files from folders given as NAME=DIR (GET /NAME/file), the way a
feed's host would, plus the awkward servers a feed can be behind:

  /NAME/file?query   the file "file@<query>" when there is one, else
                     "file@<key>" for the first of the query's keys that
                     has one (last_modified_since: an API's incremental
                     query, whatever its time), else "file"; a path that
                     ends in "/" is its folder's "index.json"
  ETag and Last-Modified on every file; If-None-Match and
  If-Modified-Since answer 304
  /slow              headers, then a byte every 2 seconds, never ending
  /huge?mb=N         N MiB of calendar-looking text
  /redirect?to=URL   302 to URL
  /status/NNN        that status, a short body
Every request is appended to --log as "METHOD PATH if-none-match" lines,
so a test can see what the importer asked. Python's standard library only
(Debian's python3).

  feed_server.py --dir samples=../shared/samples --dir feeds=/tmp/x \\
                 --port-file /tmp/port --log /tmp/requests.log
"""
import argparse
import email.utils
import hashlib
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TYPES = {
    '.ics': 'text/calendar; charset=utf-8',
    '.json': 'application/json',
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    dirs = {}
    log_path = None
    lock = threading.Lock()

    def log_message(self, fmt, *args):  # quiet on stderr
        pass

    def record(self):
        if not self.log_path:
            return
        with self.lock, open(self.log_path, 'a', encoding='utf-8') as f:
            f.write('%s %s %s\n' % (self.command, self.path,
                                    self.headers.get('If-None-Match', '-')))

    def answer(self, status, body=b'', ctype='text/plain; charset=utf-8',
               extra=None):
        self.send_response(status)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def do_GET(self):
        self.record()
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        if url.path == '/slow':
            self.send_response(200)
            self.send_header('Content-Type', 'text/calendar')
            self.send_header('Content-Length', '100000')
            self.end_headers()
            try:
                self.wfile.write(b'BEGIN:VCALENDAR\r\n')
                self.wfile.flush()
                for _ in range(600):
                    time.sleep(2)
                    self.wfile.write(b' ')
                    self.wfile.flush()
            except OSError:
                pass
            return
        if url.path == '/huge':
            mb = int(q.get('mb', ['8'])[0])
            line = b'X-FILLER:' + b'x' * 60 + b'\r\n'
            total = mb * 1024 * 1024
            self.send_response(200)
            self.send_header('Content-Type', 'text/calendar')
            self.send_header('Transfer-Encoding', 'chunked')
            self.end_headers()
            try:
                self.wfile.write(b'%x\r\n%s\r\n' % (17, b'BEGIN:VCALENDAR\r\n'))
                sent = 0
                while sent < total:
                    chunk = line * 1000
                    self.wfile.write(b'%x\r\n%s\r\n' % (len(chunk), chunk))
                    sent += len(chunk)
                self.wfile.write(b'0\r\n\r\n')
            except OSError:
                pass
            return
        if url.path == '/redirect':
            self.answer(302, b'moved', extra={'Location': q.get('to', [''])[0]})
            return
        if url.path.startswith('/status/'):
            self.answer(int(url.path[8:]), b'status')
            return
        parts = url.path.lstrip('/').split('/', 1)
        if len(parts) != 2 or parts[0] not in self.dirs or '..' in parts[1]:
            self.answer(404, b'not found')
            return
        base = os.path.join(self.dirs[parts[0]], parts[1])
        if base.endswith('/'):
            base += 'index.json'
        path = base
        if url.query:
            tries = [base + '@' + url.query]
            tries += [base + '@' + k for k in sorted(q)]
            path = next((t for t in tries if os.path.isfile(t)), base)
        if not os.path.isfile(path):
            self.answer(404, b'not found')
            return
        with open(path, 'rb') as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
        mtime = os.stat(path).st_mtime
        lm = email.utils.formatdate(mtime, usegmt=True)
        headers = {'ETag': etag, 'Last-Modified': lm}
        if self.headers.get('If-None-Match') == etag:
            self.answer(304, b'', extra=headers)
            return
        ctype = TYPES.get(os.path.splitext(base)[1], 'application/octet-stream')
        self.answer(200, body, ctype, headers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', action='append', default=[],
                    help='NAME=DIR: serve DIR under /NAME/')
    ap.add_argument('--port-file', required=True)
    ap.add_argument('--log')
    a = ap.parse_args()
    for d in a.dir:
        name, _, path = d.partition('=')
        Handler.dirs[name] = os.path.abspath(path)
    Handler.log_path = a.log
    srv = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    srv.daemon_threads = True
    tmp = a.port_file + '.tmp'
    with open(tmp, 'w', encoding='ascii') as f:
        f.write('%d\n' % srv.server_address[1])
    os.replace(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
