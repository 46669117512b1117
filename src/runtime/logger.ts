/** The service's log: one JSON line per entry on stderr (as the API's error log). Never secrets. */
import type { ServiceLogger } from '../domain/logger.js';

export { errorField, type ServiceLogger } from '../domain/logger.js';

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
