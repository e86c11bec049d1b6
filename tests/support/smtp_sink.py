#!/usr/bin/python3
"""smtp_sink.py: a real SMTP server for the tests (Debian's python3-aiosmtpd)
that keeps every message it accepts as a file, for the test to read.

    smtp_sink.py --port PORT --dir DIR [--tls-cert C --tls-key K]
                 [--auth USER:PASSWORD] [--refuse ADDR] [--ready FILE]

Each accepted message is DIR/NNNN.eml (the bytes as received) with
DIR/NNNN.json beside it ({"mail_from", "rcpt_tos", "tls", "auth"}); the
.json is written last, so a test that sees it sees the whole message.
With a certificate the server offers STARTTLS and requires it before MAIL;
with --auth it requires AUTH (PLAIN or LOGIN, only over TLS when TLS is
on). --refuse answers 550 to that recipient, for the permanent-failure
path. --ready gets "ready" once the server listens. Stops on SIGTERM.
"""
import argparse
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, refuse):
        self.dir = directory
        self.refuse = {a.lower() for a in refuse}
        self.n = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.lower() in self.refuse:
            return '550 5.1.1 No such mailbox here'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            n = self.n
        base = os.path.join(self.dir, '%04d' % n)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode('utf-8')
        with open(base + '.eml.tmp', 'wb') as f:
            f.write(data)
        os.rename(base + '.eml.tmp', base + '.eml')
        meta = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'tls': session.ssl is not None,
            'auth': session.auth_data if session.authenticated else None,
        }
        with open(base + '.json.tmp', 'w', encoding='utf-8') as f:
            json.dump(meta, f)
        os.rename(base + '.json.tmp', base + '.json')
        return '250 Message accepted for delivery'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--dir', required=True)
    ap.add_argument('--tls-cert')
    ap.add_argument('--tls-key')
    ap.add_argument('--auth')
    ap.add_argument('--refuse', action='append', default=[])
    ap.add_argument('--ready')
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)

    kwargs = {'hostname': '127.0.0.1'}
    params = {}
    tls = None
    if a.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(a.tls_cert, a.tls_key)
        params['tls_context'] = tls
        params['require_starttls'] = True
    if a.auth:
        user, password = a.auth.split(':', 1)

        def authenticator(server, session, envelope, mechanism, data):
            ok = (isinstance(data, LoginPassword)
                  and data.login.decode() == user
                  and data.password.decode() == password)
            return AuthResult(success=ok, auth_data=user if ok else None)

        params['authenticator'] = authenticator
        params['auth_required'] = True
        params['auth_require_tls'] = tls is not None
    ctl = Controller(Sink(a.dir, a.refuse), port=a.port, **kwargs, **params)
    ctl.start()
    if a.ready:
        with open(a.ready, 'w', encoding='utf-8') as f:
            f.write('ready\n')
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass
    ctl.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
