"""The emulator's application runs one request at a time (moto's models are not thread-safe)."""

import threading
import time

from emulator.serialized import Serialized


def test_concurrent_requests_never_overlap_inside_the_application():
    running, most = 0, 0
    guard = threading.Lock()

    def app(environ, start_response):
        nonlocal running, most
        with guard:
            running += 1
            most = max(most, running)
        time.sleep(0.02)  # a model update that takes a while: check, then act
        with guard:
            running -= 1
        start_response("200 OK", [])
        return [b"ok"]

    serialized = Serialized(app)
    threads = [threading.Thread(target=serialized, args=({}, lambda *a: None)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1


def test_the_response_body_is_produced_under_the_lock_and_closed():
    closed = []

    class Body(list):
        def close(self):
            closed.append(True)

    serialized = Serialized(lambda environ, start_response: Body([b"a", b"b"]))
    assert serialized({}, lambda *a: None) == [b"a", b"b"]
    assert closed == [True] and not serialized.lock.locked()
