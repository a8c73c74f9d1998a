"""WSGI entry point (Elastic Beanstalk's default WSGIPath ``application:application``)."""

import sys

from imageshare import create_app
from imageshare.config import ConfigError

try:
    application = create_app()
except ConfigError as exc:
    # A clear one-line reason instead of a traceback; gunicorn then refuses to boot the worker.
    sys.exit(f"imageshare: configuration error: {exc}")
