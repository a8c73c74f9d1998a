"""gunicorn settings for Elastic Beanstalk (nginx on the instance proxies to 127.0.0.1:8000)."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# S3 calls are I/O-bound: a couple of processes with several threads each keep a small instance busy.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Long enough for a maximum-size upload to reach S3 over a slow client; below nginx/ALB's 60 s idle timeouts.
timeout = 55
graceful_timeout = 20
keepalive = 5
# The app writes its own JSON request log; gunicorn's access log would only duplicate it.
accesslog = None
errorlog = "-"
loglevel = "info"
# No runtime control socket: nothing administers the server through it, and a shared path would clash between runs.
control_socket_disable = True
