/**
 * A hook between the preloaded SDK and the app: the preload registers how to flush and stop tracing; main.ts
 * calls it on SIGTERM. Without tracing it does nothing.
 */
let shutdown: () => Promise<void> = async () => {};

export function onTelemetryShutdown(fn: () => Promise<void>): void {
  shutdown = fn;
}

export function shutdownTelemetry(): Promise<void> {
  return shutdown();
}
