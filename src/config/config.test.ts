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

describe("the configuration of busy polling", () => {
  it("polls 50 µs after a response by default, takes BUSY_POLL_US=0 as never, and refuses more than 10 ms", () => {
    assert.equal(loadConfig({}).busyPollUs, 50);
    assert.equal(loadConfig({ BUSY_POLL_US: "0" }).busyPollUs, 0);
    assert.throws(
      () => loadConfig({ BUSY_POLL_US: "20000" }),
      /BUSY_POLL_US must be an integer from 0 to 10000, got "20000"/,
    );
  });
});
