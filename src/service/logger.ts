/** The service's log: one JSON line per entry on stderr (as the API's error log). Never secrets. */

/** Where the service reports what it does. Fields are plain JSON; never credentials or bodies. */
export interface ServiceLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function jsonLine(level: string, message: string, fields: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`;
}

/** One JSON line per entry on `stream` (stderr by default). */
export function streamLogger(stream: NodeJS.WritableStream = process.stderr): ServiceLogger {
  return {
    info: (message, fields) => void stream.write(jsonLine('info', message, fields)),
    error: (message, fields) => void stream.write(jsonLine('error', message, fields)),
  };
}

/** A logger that drops everything (tests that do not look at the log). */
export const silentLogger: ServiceLogger = { info() {}, error() {} };

/** An error as a log field: its code when it has one, and its message. */
export function errorField(error: unknown): string {
  if (error instanceof Error) return 'code' in error ? `${String(error.code)}: ${error.message}` : error.message;
  return String(error);
}
