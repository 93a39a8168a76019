"""`RemoteMonitor`: POST each epoch's logs to a server (needs the `requests` package).

Example:
    >>> monitor = RemoteMonitor(root="http://localhost:9000", send_as_json=True)
    >>> monitor.root + monitor.path
    'http://localhost:9000/publish/epoch/end/'
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np

from kerastorch.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """Send `{"epoch": epoch, **logs}` to `root + path` at the end of each epoch.

    Args:
        root: the server's root URL.
        path: the path the events are POSTed to.
        field: the form field holding the JSON data (when `send_as_json=False`).
        headers: optional HTTP headers.
        send_as_json: send the data as the JSON body (`application/json`) instead of a form.

    An unreachable server warns and training goes on.
    """

    def __init__(
        self,
        root: str = "http://localhost:9000",
        path: str = "/publish/epoch/end/",
        field: str = "data",
        headers: dict[str, str] | None = None,
        send_as_json: bool = False,
    ):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        try:
            import requests
        except ImportError:
            raise ImportError("RemoteMonitor requires the `requests` library.") from None
        send: dict[str, Any] = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = value.item() if isinstance(value, (np.ndarray, np.generic)) else value
        url = self.root + self.path
        try:
            if self.send_as_json:
                requests.post(url, json=send, headers=self.headers)
            else:
                requests.post(url, {self.field: json.dumps(send)}, headers=self.headers)
        except requests.exceptions.RequestException:
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root}", stacklevel=2)
