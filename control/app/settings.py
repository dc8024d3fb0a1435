"""Configuration: read from the environment once, validated, frozen, then passed in.

Only the composition root (`app.__main__`, or `create_app_from_env` for uvicorn's worker processes) calls
`Settings.from_env`; everything else receives a `Settings`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL_PATH = REPO_ROOT / "model" / "model.txt"
DEFAULT_OTLP_TRACES_ENDPOINT = "http://localhost:4318/v1/traces"
SUPPORTED_OTLP_PROTOCOL = "http/protobuf"
TRACES_EXPORTERS = ("otlp", "console", "none")
LOG_LEVELS = ("trace", "debug", "info", "warn", "warning", "error", "fatal", "silent")
LOG_FORMATS = ("json", "pretty")


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "0.0.0.0"
    port: int = 8000
    model_path: Path = DEFAULT_MODEL_PATH
    model_name: str = "model"
    max_body_bytes: int = 1_048_576
    # Work per request (the same limits and defaults as the TypeScript endpoint).
    max_rows: int = 10_000
    max_output_values: int = 250_000
    max_inference_ms: int = 5_000
    workers: int = 1
    # The HTTP layer (uvicorn, see app/http.py) and shutdown.
    headers_timeout_ms: int = 10_000
    request_timeout_ms: int = 30_000
    write_timeout_ms: int = 30_000
    max_header_bytes: int = 16_384
    keep_alive_timeout_ms: int = 5_000
    shutdown_timeout_ms: int = 10_000
    # Observability.
    metrics_enabled: bool = True
    access_log: bool = False
    log_level: str = "info"
    log_format: str = "json"
    # OpenTelemetry (standard OTEL_* variables). The rest of them (OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*,
    # OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_TIMEOUT, ...) are read by the SDK itself.
    otel_sdk_disabled: bool = False
    otel_service_name: str = "fastapi-control"
    otel_traces_exporter: str = "otlp"
    otel_traces_endpoint: str = DEFAULT_OTLP_TRACES_ENDPOINT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def text(name: str, default: str) -> str:
            value = env.get(name, "").strip()
            return value or default

        def integer(name: str, default: int, minimum: int, maximum: int | None = None) -> int:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                value = int(raw, 10)
            except ValueError:
                raise SettingsError(f"{name} must be an integer, got {raw!r}") from None
            if value < minimum or (maximum is not None and value > maximum):
                bounds = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
                raise SettingsError(f"{name} must be {bounds}, got {value}")
            return value

        def flag(name: str, default: bool) -> bool:
            raw = text(name, "true" if default else "false").lower()
            if raw not in ("true", "false"):
                raise SettingsError(f"{name} must be true or false, got {raw!r}")
            return raw == "true"

        def choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
            value = text(name, default).lower()
            if value not in allowed:
                raise SettingsError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
            return value

        protocol = text("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", text("OTEL_EXPORTER_OTLP_PROTOCOL", ""))
        if protocol and protocol != SUPPORTED_OTLP_PROTOCOL:
            raise SettingsError(
                f"OTEL_EXPORTER_OTLP_PROTOCOL must be {SUPPORTED_OTLP_PROTOCOL} (the only exporter installed), "
                f"got {protocol!r}"
            )
        exporter = text("OTEL_TRACES_EXPORTER", "otlp").lower()
        if exporter not in TRACES_EXPORTERS:
            raise SettingsError(f"OTEL_TRACES_EXPORTER must be one of {', '.join(TRACES_EXPORTERS)}, got {exporter!r}")
        endpoint = text("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
        if not endpoint:
            base = text("OTEL_EXPORTER_OTLP_ENDPOINT", "")
            endpoint = base.rstrip("/") + "/v1/traces" if base else DEFAULT_OTLP_TRACES_ENDPOINT

        return cls(
            host=text("HOST", "0.0.0.0"),
            port=integer("PORT", 8000, 0, 65535),
            model_path=Path(text("MODEL_PATH", str(DEFAULT_MODEL_PATH))),
            model_name=text("MODEL_NAME", "model"),
            max_body_bytes=integer("MAX_BODY_BYTES", 1_048_576, 1),
            max_rows=integer("MAX_ROWS", 10_000, 1),
            max_output_values=integer("MAX_OUTPUT_VALUES", 250_000, 1),
            max_inference_ms=integer("MAX_INFERENCE_MS", 5_000, 1),
            workers=integer("WORKERS", 1, 1),
            headers_timeout_ms=integer("HEADERS_TIMEOUT_MS", 10_000, 1),
            request_timeout_ms=integer("REQUEST_TIMEOUT_MS", 30_000, 1),
            write_timeout_ms=integer("WRITE_TIMEOUT_MS", 30_000, 1),
            max_header_bytes=integer("MAX_HEADER_BYTES", 16_384, 1024),
            keep_alive_timeout_ms=integer("KEEP_ALIVE_TIMEOUT_MS", 5_000, 1),
            shutdown_timeout_ms=integer("SHUTDOWN_TIMEOUT_MS", 10_000, 0),
            metrics_enabled=flag("METRICS_ENABLED", True),
            access_log=flag("ACCESS_LOG", False),
            log_level=choice("LOG_LEVEL", "info", LOG_LEVELS),
            log_format=choice("LOG_FORMAT", "json", LOG_FORMATS),
            otel_sdk_disabled=text("OTEL_SDK_DISABLED", "false").lower() == "true",
            otel_service_name=text("OTEL_SERVICE_NAME", "fastapi-control"),
            otel_traces_exporter=exporter,
            otel_traces_endpoint=endpoint,
        )
