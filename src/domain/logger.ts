/**
 * What a log is to the code that writes to it: two levels of one JSON line each. Declared here,
 * below every layer, so crawl units (push events) and both modes log through the same interface;
 * the implementations (stderr, silent) live in src/runtime/logger.ts.
 */

/** Where the service reports what it does. Fields are plain JSON; never credentials or bodies. */
export interface ServiceLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** An error as a log field: its code when it has one, and its message. */
export function errorField(error: unknown): string {
  if (error instanceof Error) return 'code' in error ? `${String(error.code)}: ${error.message}` : error.message;
  return String(error);
}
