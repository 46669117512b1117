/**
 * Free-text search combined with a JSONPath query: the words become an FTS5 expression (each a
 * quoted prefix term, all required), the query's index bounds are intersected with the
 * documents matching it, and a truncated candidate (a candidate whatever the bounds say) is
 * checked again by reference, so the answer does not depend on truncation.
 */
import type { JsonValue } from '../domain/document.js';
import type { CompiledQuery } from './compiled.js';
import { invalidArgument } from './errors.js';
import { intersect } from './plan/ir.js';

/** Words of one search at most (each one is a prefix term of the FTS5 expression). */
export const MAX_SEARCH_WORDS = 16;

/** Characters of one search at most. */
export const MAX_SEARCH_LENGTH = 512;

/** `words` as an FTS5 expression: `"llama"* "8b"*`. Throws `invalid_argument` when it has no word. */
export function textExpression(words: string): string {
  if (words.length > MAX_SEARCH_LENGTH) throw invalidArgument(`text longer than ${MAX_SEARCH_LENGTH} characters`);
  const terms = words.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (terms.length === 0) throw invalidArgument('text has no words to search for (letters or digits)');
  if (terms.length > MAX_SEARCH_WORDS) throw invalidArgument(`text has more than ${MAX_SEARCH_WORDS} words`);
  return terms.map((term) => `"${term.toLowerCase()}"*`).join(' ');
}

/**
 * `compiled` narrowed to the documents matching `expression`; `matches(reference)` says whether
 * one document does. Only per-document queries combine with text.
 */
export function withText(
  compiled: CompiledQuery,
  expression: string,
  matches: (reference: string) => boolean,
): CompiledQuery {
  if (compiled.shape === 'whole-array') {
    throw invalidArgument(
      'text combines only with a query over documents, like $[?...] (this one needs the whole array)',
    );
  }
  const text = { kind: 'text', match: expression } as const;
  const evaluateDocument = (document: JsonValue): JsonValue[] => {
    const reference = (document as { reference?: unknown }).reference;
    return typeof reference === 'string' && matches(reference) ? compiled.evaluateDocument(document) : [];
  };
  return {
    text: `${compiled.text}\u0000text:${expression}`,
    dialect: compiled.dialect,
    shape: compiled.shape,
    selectsDocuments: compiled.selectsDocuments,
    textMatch: expression,
    bounds: {
      possible: intersect([compiled.bounds.possible, text]),
      certain: intersect([compiled.bounds.certain, text]),
      exact: compiled.bounds.exact,
    },
    evaluateDocument,
    evaluateArray: () => {
      throw invalidArgument('text combines only with a query over documents');
    },
  };
}
