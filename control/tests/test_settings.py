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
