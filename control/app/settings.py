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


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "0.0.0.0"
    port: int = 8000
    model_path: Path = DEFAULT_MODEL_PATH
    model_name: str = "model"
    max_body_bytes: int = 1_048_576
    workers: int = 1
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
            workers=integer("WORKERS", 1, 1),
            otel_sdk_disabled=text("OTEL_SDK_DISABLED", "false").lower() == "true",
            otel_service_name=text("OTEL_SERVICE_NAME", "fastapi-control"),
            otel_traces_exporter=exporter,
            otel_traces_endpoint=endpoint,
        )
