/**
 * Checks HTTP exchanges against contract/openapi.json, so the document cannot drift from the code. Schemas are
 * compiled with Ajv's JSON Schema 2020-12 dialect, which OpenAPI 3.1 uses.
 *
 * `checkedFetch` is `fetch` that also validates: the response body against the operation's schema for its
 * status and content type (a path with no operation must answer 404 or 405 with the error schema), and, when
 * the server accepted it (2xx), the JSON request body against the operation's request schema.
 */
import * as assert from "node:assert/strict";
import Ajv2020 from "ajv/dist/2020";
import document from "../../contract/openapi.json";
import { post } from "./server";

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(document, "openapi");

interface Operation {
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

const templates = Object.keys(document.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\./g, "\\.").replace(/\{[^/]+\}/g, "[^/]+")}$`),
}));

const escape = (segment: string): string => segment.replace(/~/g, "~0").replace(/\//g, "~1");

function validate(pointer: string[], value: unknown, what: string): void {
  const ref = `openapi#/${pointer.map(escape).join("/")}`;
  const check = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  assert.ok(
    check(value),
    `${what} does not match ${ref}: ${ajv.errorsText(check.errors)}\n${JSON.stringify(value)}`,
  );
}

/** The document's path template for a concrete path, e.g. /v2/models/m/infer → /v2/models/{name}/infer. */
export function templateOf(path: string): string | undefined {
  return templates.find((t) => t.pattern.test(path))?.template;
}

export function checkExchange(
  method: string,
  path: string,
  status: number,
  contentType: string,
  responseText: string,
  requestText?: string,
): void {
  const what = `${method} ${path} → ${status}`;
  const template = templateOf(path);
  const operation = (
    template === undefined
      ? undefined
      : (document.paths as Record<string, Record<string, unknown>>)[template][method.toLowerCase()]
  ) as Operation | undefined;
  if (template === undefined || operation === undefined) {
    assert.ok(status === 404 || status === 405, `${what}: not in the document, so it must be 404 or 405`);
    const schema = path === "/v2" || path.startsWith("/v2/") ? "OipError" : "Error";
    validate(["components", "schemas", schema], JSON.parse(responseText), what);
    return;
  }
  const response = operation.responses[String(status)];
  assert.ok(response !== undefined, `${what}: the document lists no ${status} for ${method} ${template}`);
  const media = contentType.split(";")[0].trim();
  assert.ok(response.content?.[media] !== undefined, `${what}: the document has no ${media} response`);
  const pointer = [
    "paths",
    template,
    method.toLowerCase(),
    "responses",
    String(status),
    "content",
    media,
    "schema",
  ];
  validate(pointer, media === "application/json" ? JSON.parse(responseText) : responseText, what);

  if (status >= 200 && status < 300 && requestText !== undefined && operation.requestBody !== undefined) {
    const requestPointer = [
      "paths",
      template,
      method.toLowerCase(),
      "requestBody",
      "content",
      "application/json",
      "schema",
    ];
    validate(requestPointer, JSON.parse(requestText), `the request of ${what}`);
  }
}

/** `fetch`, and the exchange checked against the document; the Response can be read as usual. */
export async function checkedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, init);
  const text = await res.text();
  const body = typeof init.body === "string" ? init.body : undefined;
  checkExchange(
    init.method ?? "GET",
    new URL(url).pathname,
    res.status,
    res.headers.get("content-type") ?? "",
    text,
    body,
  );
  return new Response(text === "" ? null : text, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}

/** The support `post`, checked against the document. */
export function checkedPost(
  url: string,
  body: unknown,
  headers: Record<string, string> = { "content-type": "application/json" },
): ReturnType<typeof post> {
  return post(url, body, headers, (input, init) => checkedFetch(String(input), init));
}
