import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import numpy as np
import pytest

import kerastorch as kt


class _Handler(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        _Handler.received.append((self.path, self.headers["Content-Type"], body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("send_as_json", [True, False])
def test_remote_monitor_posts_the_epoch_logs(send_as_json):
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.received = []
    try:
        monitor = kt.callbacks.RemoteMonitor(
            root=f"http://127.0.0.1:{server.server_port}", send_as_json=send_as_json
        )
        monitor.on_epoch_end(3, {"loss": np.float32(0.5), "val_loss": 0.25})
    finally:
        server.shutdown()
        server.server_close()
    ((path, content_type, body),) = _Handler.received
    assert path == "/publish/epoch/end/"
    if send_as_json:
        assert content_type == "application/json"
        data = json.loads(body)
    else:
        data = json.loads(parse_qs(body)["data"][0])
    assert data == {"epoch": 3, "loss": 0.5, "val_loss": 0.25}


def test_remote_monitor_unreachable_server_warns():
    monitor = kt.callbacks.RemoteMonitor(root="http://127.0.0.1:9")
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor root server"):
        monitor.on_epoch_end(0, {"loss": 1.0})
