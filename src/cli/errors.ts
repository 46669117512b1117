/**
 * How the command line reports a failure: one line, `ocidex: <message> (<code>)`, and a non-zero
 * exit code; the stack (with its causes) only with `--debug` or OCIDEX_DEBUG=1. Every command's
 * error ends here, so none prints a Node stack by accident.
 */
import { toOcidexError, type ErrorCode } from '../domain/errors.js';
import { toIndexError } from '../store/index.js';

/** Exit code 2: the command as given cannot work (usage, configuration); 1: anything else. */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set([
  'invalid_argument',
  'invalid_query',
  'invalid_reference',
  'unsupported',
]);

function stackOf(error: unknown): string {
  const lines: string[] = [];
  for (let current = error; current !== undefined && current !== null; current = (current as Error).cause) {
    lines.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    if (!(current instanceof Error)) break;
  }
  return lines.join('\ncaused by: ');
}

/** Writes the report of `error` to `stream`; returns the exit code. */
export function reportError(error: unknown, debug: boolean, stream: NodeJS.WritableStream = process.stderr): number {
  const failure = toOcidexError(toIndexError(error));
  stream.write(`ocidex: ${failure.message.split('\n')[0] ?? ''} (${failure.code})\n`);
  if (debug) stream.write(`${stackOf(error)}\n`);
  return USAGE_CODES.has(failure.code) ? 2 : 1;
}
