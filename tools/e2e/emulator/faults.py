"""Fault injection for `make e2e-faults`: AWS throttling and an S3 outage, in the wire forms AWS answers with.

Nothing is injected until a test asks (POST /_e2e/faults with a JSON body); `make e2e` never does. A refused request
is answered before moto sees it, as AWS does: a throttled request was not processed, so a retry cannot duplicate it.

Throttling (`{"throttle": {"fraction": 0.1, "seed": 24, "user_agent": "Terraform"}}`): a seeded fraction of signed
requests (whose User-Agent contains `user_agent`, when given) is refused, in the form of the service's protocol:
- S3 (REST-XML): HTTP 503, `<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>`
  (S3 API reference, "Error responses", list of error codes: SlowDown, 503;
  https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). HEAD answers carry no body, as S3's do.
- EC2 (EC2 query protocol): HTTP 503, `<Response><Errors><Error><Code>RequestLimitExceeded</Code>` and
  `<Message>Request limit exceeded.</Message>`, then `<RequestID>` (EC2 developer guide, "Request throttling for the
  Amazon EC2 API", https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html; the error envelope:
  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html; AWS answers it with 503 Service
  Unavailable, as every SDK report of it shows: "Status Code: 503; Error Code: RequestLimitExceeded").
- JSON protocol services (a request with X-Amz-Target: DynamoDB, KMS, Logs, WAFv2, SSM, Budgets, ACM, ...): HTTP 400,
  `{"__type": "ThrottlingException", "message": "Rate exceeded"}` and the `x-amzn-ErrorType` header
  (Common Errors, "ThrottlingException ... HTTP Status Code: 400",
  https://docs.aws.amazon.com/emr/latest/APIReference/CommonErrors.html; DynamoDB, "Error handling":
  ThrottlingException, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html).
- Query protocol services (IAM, STS, ELBv2, Elastic Beanstalk, SNS, CloudWatch, ...) and Route 53: HTTP 400,
  `<ErrorResponse><Error><Type>Sender</Type><Code>ThrottlingException</Code>...` (the same Common Errors entry, in the
  query protocol's error envelope).

Outage (`{"outage": {"seconds": 8, "bucket": "name"}}`): for that many seconds every S3 request (to that bucket, if
named) is answered HTTP 503 `ServiceUnavailable` ("Service is unable to handle request", the same S3 error list).
With `"after_write": "prefix/"` the window opens only once S3 has stored an object under that prefix of the bucket:
S3 fails right after acknowledging a write, the moment that tells whether a writer's multi-object update can be
left half done.

GET /_e2e/faults answers the configuration and the counts of what was refused, by code and by service.
"""

import json
import random
import re
import threading
import time
import uuid
from typing import Any

CONTROL_PATH = "/_e2e/faults"
_SCOPE_RE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")


class FaultState:
    """What to inject and what was injected; one per emulator process, guarded by a lock (threaded server)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.configure({})

    def configure(self, config: dict) -> None:
        throttle = config.get("throttle") or {}
        outage = config.get("outage") or {}
        with self.lock:
            self.fraction = float(throttle.get("fraction", 0))
            self.random = random.Random(throttle.get("seed", 0))
            self.user_agent = throttle.get("user_agent", "")
            self.outage_seconds = float(outage.get("seconds", 0))
            self.outage_after_write = outage.get("after_write")
            opens_now = self.outage_seconds and not self.outage_after_write
            self.outage_until = time.monotonic() + self.outage_seconds if opens_now else 0.0
            self.outage_bucket = outage.get("bucket")
            self.outage_opened = bool(opens_now)
            self.config = config
            self.requests = 0
            self.refused: dict[str, int] = {}
            self.by_service: dict[str, int] = {}

    def snapshot(self) -> dict:
        with self.lock:
            return {
                "config": self.config,
                "requests": self.requests,
                "refused": dict(self.refused),
                "by_service": dict(self.by_service),
                "outage_active": time.monotonic() < self.outage_until,
                "outage_opened": self.outage_opened,
            }

    def written(self, path: str) -> None:
        """An object was stored at path: open the outage window armed with after_write, once."""
        with self.lock:
            prefix = f"/{self.outage_bucket}/{self.outage_after_write}"
            if self.outage_after_write and not self.outage_opened and path.startswith(prefix):
                self.outage_until = time.monotonic() + self.outage_seconds
                self.outage_opened = True

    def decide(self, service: str, path: str, user_agent: str = "") -> str | None:
        """The error code to answer with, or None to let moto answer."""
        with self.lock:
            self.requests += 1
            code = None
            if service == "s3" and time.monotonic() < self.outage_until and _in_bucket(path, self.outage_bucket):
                code = "ServiceUnavailable"
            elif self.fraction and self.user_agent in user_agent and self.random.random() < self.fraction:
                code = {"s3": "SlowDown", "ec2": "RequestLimitExceeded"}.get(service, "ThrottlingException")
            if code:
                self.refused[code] = self.refused.get(code, 0) + 1
                self.by_service[service] = self.by_service.get(service, 0) + 1
            return code


def _in_bucket(path: str, bucket: str | None) -> bool:
    return bucket is None or path == f"/{bucket}" or path.startswith(f"/{bucket}/")


def service_of(environ: dict) -> str | None:
    """The signing name in the SigV4 credential scope: what AWS routes on; unsigned requests are never refused."""
    match = _SCOPE_RE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(1) if match else None


def error_response(code: str, service: str, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    request_id = str(uuid.uuid4())
    head = environ.get("REQUEST_METHOD") == "HEAD"
    if service == "s3":
        message = "Please reduce your request rate." if code == "SlowDown" else "Service is unable to handle request."
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{request_id}</RequestId>"
            f"<HostId>{request_id}</HostId></Error>"
        ).encode()
        status, content_type = "503 Slow Down" if code == "SlowDown" else "503 Service Unavailable", "application/xml"
        headers = [("x-amz-request-id", request_id)]
    elif service == "ec2":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code>'
            f"<Message>Request limit exceeded.</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        ).encode()
        status, content_type, headers = "503 Service Unavailable", "text/xml;charset=UTF-8", []
    elif environ.get("HTTP_X_AMZ_TARGET"):
        body = json.dumps({"__type": code, "message": "Rate exceeded"}).encode()
        content_type = environ.get("CONTENT_TYPE") or "application/x-amz-json-1.1"
        status, headers = "400 Bad Request", [("x-amzn-ErrorType", code)]
    else:
        body = (
            "<ErrorResponse><Error><Type>Sender</Type>"
            f"<Code>{code}</Code><Message>Rate exceeded</Message></Error><RequestId>{request_id}</RequestId>"
            "</ErrorResponse>"
        ).encode()
        status, content_type, headers = "400 Bad Request", "text/xml", []
    headers += [("x-amzn-RequestId", request_id), ("Content-Type", content_type)]
    if head:
        body = b""
    headers.append(("Content-Length", str(len(body))))
    return status, headers, body


STATE = FaultState()


def _control(environ: dict, start_response: Any) -> list[bytes]:
    if environ.get("REQUEST_METHOD") == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        STATE.configure(json.loads(environ["wsgi.input"].read(length) or b"{}"))
    body = json.dumps(STATE.snapshot()).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def wrap(application: Any) -> Any:
    """A WSGI middleware: the control path, then the faults, then moto."""

    def faulty(environ: dict, start_response: Any) -> Any:
        if environ.get("PATH_INFO") == CONTROL_PATH:
            return _control(environ, start_response)
        service = service_of(environ)
        path, agent = environ.get("PATH_INFO", ""), environ.get("HTTP_USER_AGENT", "")
        code = STATE.decide(service, path, agent) if service else None
        if code is None:
            if service != "s3" or environ.get("REQUEST_METHOD") != "PUT" or not STATE.outage_after_write:
                return application(environ, start_response)
            statuses: list[str] = []

            def record_status(status: str, *args: Any) -> Any:
                statuses.append(status)
                return start_response(status, *args)

            answer = application(environ, record_status)
            if statuses and statuses[0].startswith("200"):
                STATE.written(path)
            return answer
        status, headers, body = error_response(code, service, environ)
        # Drain the request body so that the connection can be reused, as a server does.
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            environ["wsgi.input"].read(length)
        elif environ.get("wsgi.input_terminated"):
            environ["wsgi.input"].read()
        start_response(status, headers)
        return [body]

    return faulty


def install() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_call = DomainDispatcherApplication.__call__
    if getattr(original_call, "_e2e_faults", False):
        return

    def call(self: Any, environ: dict, start_response: Any) -> Any:
        return wrap(lambda env, start: original_call(self, env, start))(environ, start_response)

    call._e2e_faults = True  # type: ignore[attr-defined]
    DomainDispatcherApplication.__call__ = call  # type: ignore[method-assign]
