"""Settings read once from the environment; a missing or invalid value stops startup."""

import os
from dataclasses import dataclass

from .contract import DEFAULT_MAX_UPLOAD_MB, ENV, LOCAL_ENV, MAX_UPLOAD_MB_LIMIT, MIN_UPLOAD_MB

DEFAULT_MAX_IMAGE_MEGAPIXELS = 40


class ConfigError(RuntimeError):
    """Raised at startup; the message names the offending variable."""


@dataclass(frozen=True)
class Settings:
    bucket: str
    kms_key_arn: str
    region: str
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB
    max_image_megapixels: int = DEFAULT_MAX_IMAGE_MEGAPIXELS
    log_level: str = "INFO"
    s3_endpoint_url: str | None = None

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @classmethod
    def from_env(cls, env=None) -> "Settings":
        env = os.environ if env is None else env

        def required(name: str) -> str:
            value = env.get(name, "").strip()
            if not value:
                raise ConfigError(f"Missing required environment variable {name}")
            return value

        def positive_int(name: str, default: int, maximum: int | None = None, minimum: int = 1) -> int:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            if not raw.isdigit() or int(raw) < minimum:
                raise ConfigError(f"Environment variable {name} must be an integer >= {minimum}, got {raw!r}")
            if maximum is not None and int(raw) > maximum:
                raise ConfigError(f"Environment variable {name} must be at most {maximum}, got {raw!r}")
            return int(raw)

        log_level_name = ENV["logLevel"]
        log_level = env.get(log_level_name, "INFO").strip().upper() or "INFO"
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ConfigError(
                f"Environment variable {log_level_name} must be one of DEBUG, INFO, WARNING, ERROR: {log_level!r}"
            )
        return cls(
            bucket=required(ENV["imagesBucket"]),
            kms_key_arn=required(ENV["kmsKeyArn"]),
            region=required(ENV["region"]),
            max_upload_mb=positive_int(ENV["uploadLimitMb"], DEFAULT_MAX_UPLOAD_MB, MAX_UPLOAD_MB_LIMIT, MIN_UPLOAD_MB),
            max_image_megapixels=positive_int("MAX_IMAGE_MEGAPIXELS", DEFAULT_MAX_IMAGE_MEGAPIXELS),
            log_level=log_level,
            s3_endpoint_url=env.get(LOCAL_ENV["s3EndpointUrl"], "").strip() or None,
        )
