import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "./config";

describe("the configuration of metrics and logs", () => {
  it("turns metrics on and the access log off by default, logging JSON at info as ts-endpoint", () => {
    const config = loadConfig({});
    assert.equal(config.metricsEnabled, true);
    assert.equal(config.accessLog, false);
    assert.equal(config.logLevel, "info");
    assert.equal(config.logFormat, "json");
    assert.equal(config.serviceName, "ts-endpoint");
  });

  it("reads METRICS_ENABLED, ACCESS_LOG, LOG_LEVEL, LOG_FORMAT and OTEL_SERVICE_NAME", () => {
    const config = loadConfig({
      METRICS_ENABLED: "false",
      ACCESS_LOG: "true",
      LOG_LEVEL: "Debug",
      LOG_FORMAT: "pretty",
      OTEL_SERVICE_NAME: "scorer",
    });
    assert.deepEqual(
      [config.metricsEnabled, config.accessLog, config.logLevel, config.logFormat, config.serviceName],
      [false, true, "debug", "pretty", "scorer"],
    );
  });

  it("refuses a log level or format it does not know, naming the choices", () => {
    assert.throws(() => loadConfig({ LOG_LEVEL: "verbose" }), ConfigError);
    assert.throws(
      () => loadConfig({ LOG_FORMAT: "text" }),
      /LOG_FORMAT must be one of json, pretty, got "text"/,
    );
  });
});
