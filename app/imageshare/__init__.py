"""imageshare: upload images to an SSE-KMS S3 bucket and browse them; the app streams every byte itself."""

from .web import create_app

__all__ = ["create_app"]
