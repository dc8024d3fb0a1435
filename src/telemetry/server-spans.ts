/**
 * The HTTP server span, as a small Express middleware on @opentelemetry/api (the first one in the app): it
 * accepts a W3C `traceparent` (the registered propagator), starts a SERVER span with the HTTP semantic
 * conventions' attributes, runs the rest of the request in its context (so `model-inference`, logs and user
 * middleware see it), and when the response closes sets the route, the status and the name `POST /inference`.
 * It replaced @opentelemetry/instrumentation-http + instrumentation-express, which measured several times its
 * cost per request (README, tracing). The SDK's sampler decides at startSpan: a request it drops gets a
 * non-recording span whose context still propagates, and none of the attribute work. Health probes are not
 * traced.
 */
import type { IncomingMessage } from "node:http";
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import type { NextFunction, Request, Response } from "express";
import { onRequestEnd } from "../server/request-end";

const UNTRACED = new Set(["/health", "/ready", "/v2/health/live", "/v2/health/ready", "/metrics"]);

let tracer: Tracer | undefined;

/** Called by the preload once a tracer provider is registered; without it there is no middleware. */
export function enableServerSpans(t: Tracer): void {
  tracer = t;
}

export type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/** The middleware, or undefined when tracing is off (OTEL_SDK_DISABLED=true, or no preload). */
export function serverSpans(): Middleware | undefined {
  const t = tracer;
  if (t === undefined) return undefined;
  return (req, res, next) => {
    const path = req.path;
    if (UNTRACED.has(path)) {
      next();
      return;
    }
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = t.startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: startAttributes(req, path) },
      parent,
    );
    if (span.isRecording()) onRequestEnd(res, () => endSpan(span, req, res));
    context.with(trace.setSpan(parent, span), next);
  };
}

function startAttributes(req: IncomingMessage, path: string): Attributes {
  const [address, port] = hostAndPort(req);
  const attributes: Attributes = {
    "http.request.method": req.method,
    "url.path": path,
    "url.scheme": "http",
    "server.address": address,
    "server.port": port,
    "network.protocol.version": req.httpVersion,
    "client.address": req.socket.remoteAddress,
  };
  const agent = req.headers["user-agent"];
  if (agent !== undefined) attributes["user_agent.original"] = agent;
  return attributes;
}

/** server.address and server.port from the Host header (as the semantic conventions say), else the socket. */
function hostAndPort(req: IncomingMessage): [string | undefined, number | undefined] {
  const host = req.headers.host;
  if (host !== undefined) {
    const colon = host.lastIndexOf(":");
    if (colon > 0 && colon > host.lastIndexOf("]"))
      return [host.slice(0, colon), Number(host.slice(colon + 1))];
    return [host, 80];
  }
  return [req.socket.localAddress, req.socket.localPort];
}

function endSpan(span: Span, req: Request, res: Response): void {
  const routePath = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof routePath === "string") {
    const route = req.baseUrl + routePath;
    span.setAttribute("http.route", route);
    span.updateName(`${req.method} ${route}`);
  }
  const status = res.statusCode;
  span.setAttribute("http.response.status_code", status);
  if (!res.writableFinished) {
    span.setAttribute("error.type", "client_closed");
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: "the client closed the connection before the answer",
    });
  } else if (status >= 500) {
    span.setAttribute("error.type", String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
