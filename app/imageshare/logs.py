"""One JSON object per log line, so CloudWatch Logs Insights can query fields directly."""

import json
import logging
import sys
import time

_FIELDS = ("request_id", "method", "route", "path", "status", "latency_ms", "object_key", "aws_error_code")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({name: getattr(record, name) for name in _FIELDS if getattr(record, name, None) is not None})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    # Idempotent per process (several apps may be created, e.g. in tests); other handlers are left alone.
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level)
    # botocore at DEBUG would log request signatures and bodies.
    logging.getLogger("botocore").setLevel(max(logging.INFO, logging.getLevelName(level)))
