/**
 * Values between JavaScript and libpq's text format, the way node-postgres converts them (the
 * store and the engine were written against its conversions): parameters go as text (bytea as
 * `\x` hex, arrays as array literals, other objects as JSON); results come back by column type,
 * int8 and numeric as numbers (ids stay far below 2^53), bytea as Buffers.
 */

/** PostgreSQL's message for a text holding NUL, which a C string would cut short. */
const NUL_IN_TEXT = 'invalid byte sequence for encoding "UTF8": 0x00';

/** A parameter that cannot be sent (the server would refuse it: SQLSTATE 22021). */
export class UnsendableValue extends Error {
  readonly sqlstate = '22021';
}

/** A parameter as libpq's text format, or null for SQL NULL (undefined too, as in better-sqlite3). */
export function toParam(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array)
    return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (typeof value === 'string') return checked(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return arrayLiteral(value);
  return checked(JSON.stringify(value));
}

function checked(text: string): string {
  if (text.includes('\0')) throw new UnsendableValue(NUL_IN_TEXT);
  return text;
}

/** `{…}` with each element quoted and escaped (bytea elements as `\x` hex), nested arrays nested. */
function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((value) => {
    if (Array.isArray(value)) return arrayLiteral(value);
    const text = toParam(value);
    return text === null ? 'NULL' : `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

/** Turns a column's text into its JavaScript value. */
export type ColumnParser = (text: string) => unknown;

const toNumber: ColumnParser = (text) => Number(text);
const toFloat: ColumnParser = (text) => Number.parseFloat(text);
const toBoolean: ColumnParser = (text) => text === 't';
const toBuffer: ColumnParser = (text) => Buffer.from(text.slice(2), 'hex');
const toJson: ColumnParser = (text) => JSON.parse(text) as unknown;
const toText: ColumnParser = (text) => text;

/** Parsers by type oid (pg_type): the types the index's statements return; any other stays text. */
const PARSERS = new Map<number, ColumnParser>([
  [16, toBoolean],
  [17, toBuffer],
  [20, toNumber],
  [21, toNumber],
  [23, toNumber],
  [26, toNumber],
  [700, toFloat],
  [701, toFloat],
  [1700, toNumber],
  [114, toJson],
  [3802, toJson],
]);

export function parserOf(typeOid: number): ColumnParser {
  return PARSERS.get(typeOid) ?? toText;
}
