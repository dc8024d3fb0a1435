"""Settings: read from the environment once, with the contract's defaults and named errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import DEFAULT_MODEL_PATH, Settings, SettingsError


def test_an_empty_environment_gives_the_contract_defaults() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()
    assert (settings.host, settings.port, settings.workers) == ("0.0.0.0", 8000, 1)
    assert settings.model_name == "model"
    assert settings.max_body_bytes == 1_048_576
    assert settings.model_path == DEFAULT_MODEL_PATH
    assert DEFAULT_MODEL_PATH.parts[-2:] == ("model", "model.txt")
    assert DEFAULT_MODEL_PATH.parent.parent == Path(__file__).resolve().parents[2]
    assert settings.otel_sdk_disabled is False
    assert settings.otel_service_name == "fastapi-control"
    assert settings.otel_traces_endpoint == "http://localhost:4318/v1/traces"


def test_every_variable_is_read() -> None:
    settings = Settings.from_env(
        {
            "HOST": "127.0.0.1",
            "PORT": "9001",
            "MODEL_PATH": "/models/seed.txt",
            "MODEL_NAME": "seed",
            "MAX_BODY_BYTES": "2048",
            "WORKERS": "2",
            "OTEL_SDK_DISABLED": "TRUE",
            "OTEL_SERVICE_NAME": "control-b",
        }
    )
    assert settings == Settings(
        host="127.0.0.1",
        port=9001,
        model_path=Path("/models/seed.txt"),
        model_name="seed",
        max_body_bytes=2048,
        workers=2,
        otel_sdk_disabled=True,
        otel_service_name="control-b",
    )


def test_the_limits_and_observability_variables_are_read() -> None:
    env = {
        "MAX_ROWS": "5",
        "MAX_OUTPUT_VALUES": "50",
        "MAX_INFERENCE_MS": "7",
        "HEADERS_TIMEOUT_MS": "900",
        "MAX_HEADER_BYTES": "2048",
        "KEEP_ALIVE_TIMEOUT_MS": "1500",
        "SHUTDOWN_TIMEOUT_MS": "0",
        "METRICS_ENABLED": "false",
        "ACCESS_LOG": "true",
        "LOG_LEVEL": "debug",
        "LOG_FORMAT": "pretty",
    }
    settings = Settings.from_env(env)
    assert (settings.max_rows, settings.max_output_values, settings.max_inference_ms) == (5, 50, 7)
    assert (settings.headers_timeout_ms, settings.max_header_bytes, settings.keep_alive_timeout_ms) == (900, 2048, 1500)
    assert settings.shutdown_timeout_ms == 0
    assert (settings.metrics_enabled, settings.access_log) == (False, True)
    assert (settings.log_level, settings.log_format) == ("debug", "pretty")
    defaults = Settings.from_env({})
    assert (defaults.max_rows, defaults.max_output_values, defaults.max_inference_ms) == (10_000, 250_000, 5_000)
    assert (defaults.metrics_enabled, defaults.access_log, defaults.log_format) == (True, False, "json")


def test_the_generic_otlp_endpoint_gets_the_traces_path_and_the_specific_one_wins() -> None:
    generic = Settings.from_env({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"})
    assert generic.otel_traces_endpoint == "http://collector:4318/v1/traces"
    specific = Settings.from_env(
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://b:9/t"}
    )
    assert specific.otel_traces_endpoint == "http://b:9/t"


def test_the_http_protobuf_protocol_is_accepted() -> None:
    assert Settings.from_env({"OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"}).otel_traces_exporter == "otlp"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "eighty"}, "PORT must be an integer, got 'eighty'"),
        ({"PORT": "70000"}, "PORT must be between 0 and 65535, got 70000"),
        ({"MAX_BODY_BYTES": "0"}, "MAX_BODY_BYTES must be >= 1, got 0"),
        ({"WORKERS": "0"}, "WORKERS must be >= 1, got 0"),
        ({"MAX_ROWS": "0"}, "MAX_ROWS must be >= 1, got 0"),
        ({"METRICS_ENABLED": "yes"}, "METRICS_ENABLED must be true or false, got 'yes'"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be one of json, pretty, got 'xml'"),
        ({"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf"),
        ({"OTEL_TRACES_EXPORTER": "zipkin"}, "OTEL_TRACES_EXPORTER must be one of otlp, console, none"),
    ],
)
def test_an_unusable_value_is_rejected_with_the_variable_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match="^" + message.replace("(", r"\(")):
        Settings.from_env(env)


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]
