/** A real Jaeger for tests, and reading its traces back: both live in scripts/lib/, shared with the benchmark. */
export { startJaeger, type Jaeger } from "../../scripts/lib/jaeger";
export {
  getTraces,
  listServices,
  waitForSpans,
  type AttributeValue,
  type GetTracesOptions,
  type SpanRecord,
} from "../../scripts/lib/jaeger-query";
