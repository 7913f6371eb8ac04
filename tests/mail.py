"""A real SMTP server on 127.0.0.1 (aiosmtpd) for tests that send email: the `smtp` fixture (conftest.py) points
Django's SMTP backend at one started once per test session; the production stack test (tests/production/stack.py)
keeps its own as the trust's mail relay."""

import socket
import threading


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """An SMTP server on a free port of 127.0.0.1 that accepts every message and keeps it (`keep`): by default as
    (recipients, the message's text) in `received`."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.received: list[tuple[list[str], str]] = []
        self.lock = threading.Lock()
        server = self

        class Handler:
            async def handle_DATA(self, smtp, session, envelope):
                with server.lock:
                    server.keep(envelope)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def keep(self, envelope):
        self.received.append((envelope.rcpt_tos, envelope.content.decode()))

    def clear(self):
        with self.lock:
            self.received.clear()

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()
