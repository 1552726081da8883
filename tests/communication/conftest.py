"""Fixtures of the communication tests: logged-in clients (member, staff with the campaign right), a
local webhook receiver and a local SMTP server, both real servers on 127.0.0.1."""

import asyncio
import http.server
import socket
import threading

import pytest

from guichet.accounts.models import StaffRole


@pytest.fixture
def member_client(client, member, log_in):
    return log_in(client, member)


@pytest.fixture
def staff_client(client, staff, log_in):
    """An administrator, who may run campaigns."""
    return log_in(client, staff(StaffRole.ADMINISTRATOR))


class Receiver(http.server.BaseHTTPRequestHandler):
    """Records each POST (headers and body) and answers with the status the test chose."""

    def do_POST(self):  # noqa: N802 - the name http.server calls
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        self.server.received.append((dict(self.headers), body))
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def webhook_server():
    """A webhook receiver on a free 127.0.0.1 port: `.url`, `.received` [(headers, body)], `.statuses`
    (the statuses to answer, in order; 200 once they are used up)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received, server.statuses = [], []
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/preferences"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 collecting the messages in `.messages` (raw bytes)."""
    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            self.messages.append((envelope.rcpt_tos, envelope.original_content or envelope.content))
            return "250 OK"

    with socket.socket() as probe:  # a free port (aiosmtpd checks readiness by connecting to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    controller.messages = handler.messages
    yield controller
    controller.stop()
    asyncio.set_event_loop(None)
