"""Container health check (the image has no shell and no curl): exit 0 when GET /healthz answers 200.

ECS: "healthCheck": {"command": ["CMD", "/usr/bin/python3.11", "/app/healthcheck.py"]}; PORT as the app's.
"""

import os
import sys
import urllib.request

url = f"http://127.0.0.1:{os.environ.get('HEALTHCHECK_PORT', '8000')}/healthz"
try:
    with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 (loopback http)
        sys.exit(0 if response.status == 200 else 1)
except OSError:
    sys.exit(1)
