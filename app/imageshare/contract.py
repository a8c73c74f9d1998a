"""What the app and the infrastructure agree on (contract.json, shipped in the bundle; the CDK imports the same file).

Environment variable names, object key prefixes, the health, readiness and upload paths, the request log line's shape,
the upload limit and the S3 operations the app performs on its bucket are written once there; this module only reads
them.
"""

import json
from pathlib import Path

_CONTRACT = json.loads(Path(__file__).with_name("contract.json").read_text(encoding="utf-8"))

ENV = _CONTRACT["environmentVariables"]
"""Environment variable names by meaning, e.g. ``ENV["imagesBucket"] == "IMAGES_BUCKET"``."""

LOCAL_ENV = _CONTRACT["localEnvironmentVariables"]
"""Variables the app reads that no stack sets, e.g. ``LOCAL_ENV["s3EndpointUrl"]`` (the emulator's endpoint)."""

UPLOAD_PREFIX: str = _CONTRACT["keyPrefixes"]["uploads"]
THUMB_PREFIX: str = _CONTRACT["keyPrefixes"]["thumbnails"]
HEALTH_CHECK_PATH: str = _CONTRACT["healthCheckPath"]
READINESS_PATH: str = _CONTRACT["readinessPath"]
UPLOAD_PATH: str = _CONTRACT["uploadPath"]
REQUEST_LOG: dict[str, str] = {k: v for k, v in _CONTRACT["requestLog"].items() if not k.startswith("$")}
"""The request line's message and field names the stack's metric filters select on."""
DEFAULT_MAX_UPLOAD_MB: int = _CONTRACT["uploadLimitMb"]["default"]
MIN_UPLOAD_MB: int = _CONTRACT["uploadLimitMb"]["min"]
MAX_UPLOAD_MB_LIMIT: int = _CONTRACT["uploadLimitMb"]["max"]

S3_OPERATIONS: dict[str, str] = {k: v for k, v in _CONTRACT["imagesBucketOperations"].items() if not k.startswith("$")}
"""boto3 operation name -> the IAM action that authorizes it."""
