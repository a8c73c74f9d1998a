"""One API call at a time: the emulator's WSGI application behind a lock.

AWS applies each API call atomically. moto keeps its models in plain dicts and lists and mutates them with
check-then-act sequences and no locks (moto/ec2/models/network_acls.py, create_network_acl_entry: look for an entry
with the same rule number and direction, raise NetworkAclEntryAlreadyExists, else append), while werkzeug's threaded
server runs every request on its own thread, and Terraform calls in parallel (10 resources at a time). Two requests
can then interleave inside one model update, or a read can see a half-made write, which AWS never shows: the
suspected cause of issue 23's flake (one fresh-clone run in eight failed with NetworkAclEntryAlreadyExists for rule
100 while the provider read the ACL back). No moto model is written for concurrent calls, so the whole application
call is serialized rather than one model patched.

The server still accepts connections and reads requests concurrently; only the application call, body included,
runs one at a time. moto answers in milliseconds; the provider's waits are its own polling intervals.
"""

import threading
from collections.abc import Callable, Iterable
from typing import Any


class Serialized:
    """WSGI middleware: at most one call of `app` runs, and its response body is produced, at a time."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self.lock:
            result = self.app(environ, start_response)
            try:
                return list(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
