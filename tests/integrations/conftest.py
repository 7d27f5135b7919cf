import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.integrations.models import Endpoint, EndpointKind
from apps.integrations.signing import new_secret
from apps.notifications import events
from tests.checklists.conftest import at, clerk2, run, template  # noqa: F401  (shared fixtures)


@pytest.fixture
def published():
    """Every event published during the test, as (event, store, key, payload)."""
    seen: list[tuple] = []

    def record(*, event, store, key, payload):
        seen.append((event, store, key, payload))

    events.subscribe(record)
    yield seen
    events._subscribers.remove(record)


class Receiver:
    """A local HTTP server that answers each POST with the next status of `statuses` (then 200)."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/dutydesk?src=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def json(self, index: int) -> dict:
        return json.loads(self.requests[index]["body"])

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def local_webhook(store, admin, receiver, settings):
    """A webhook of the store posting every event to the local receiver (private addresses allowed)."""
    settings.INTEGRATIONS_ALLOW_PRIVATE_URLS = True
    return Endpoint.objects.create(
        store=store,
        kind=EndpointKind.WEBHOOK,
        name="CRM",
        url=receiver.url,
        secret=new_secret(),
        events=list(events.EVENTS),
        created_by=admin,
    )
