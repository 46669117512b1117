/**
 * SQLite's parameter spelling (`?` in order, `@name` from one object) as PostgreSQL's (`$1`,
 * `$2`, ...). Quoted strings, quoted identifiers and comments are copied as they are.
 */

/** A statement's text for PostgreSQL and how to turn its arguments into `$n` values. */
export interface Translated {
  text: string;
  /** Names of `$1..$n` when the statement uses `@name` parameters, else null (positional). */
  names: string[] | null;
}

/** Translates `sql`; throws when it mixes `?` and `@name`. */
export function translatePlaceholders(sql: string): Translated {
  let text = '';
  let positional = 0;
  const names: string[] = [];
  let index = 0;
  while (index < sql.length) {
    const char = sql[index] as string;
    const skipped = skipQuoted(sql, index);
    if (skipped > index) {
      text += sql.slice(index, skipped);
      index = skipped;
    } else if (char === '?') {
      positional += 1;
      text += `$${positional}`;
      index += 1;
    } else if (char === '@' && /[A-Za-z_]/.test(sql[index + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(index + 1))?.[0] as string;
      let number = names.indexOf(name) + 1;
      if (number === 0) number = names.push(name);
      text += `$${number}`;
      index += 1 + name.length;
    } else {
      text += char;
      index += 1;
    }
  }
  if (positional > 0 && names.length > 0) throw new Error('a statement mixes ? and @name parameters');
  return { text, names: names.length > 0 ? names : null };
}

/** The index just past a quoted string, quoted identifier or comment starting at `start`, else `start`. */
function skipQuoted(sql: string, start: number): number {
  const char = sql[start];
  if (char === "'" || char === '"') {
    let index = start + 1;
    while (index < sql.length) {
      if (sql[index] === char) {
        if (sql[index + 1] === char) index += 2;
        else return index + 1;
      } else index += 1;
    }
    return sql.length;
  }
  if (char === '-' && sql[start + 1] === '-') {
    const end = sql.indexOf('\n', start);
    return end === -1 ? sql.length : end;
  }
  return start;
}

/** The `$n` values of a call: the positional arguments, or one object's members by name. */
export function bindValues(translated: Translated, params: readonly unknown[]): unknown[] {
  if (translated.names === null) return params.map(toPgValue);
  const object = (params[0] ?? {}) as Record<string, unknown>;
  return translated.names.map((name) => toPgValue(object[name]));
}

/** undefined is SQL NULL, as in better-sqlite3 (pg-values.ts sends the rest). */
function toPgValue(value: unknown): unknown {
  return value === undefined ? null : value;
}
