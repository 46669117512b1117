/**
 * License expressions to license ids: "Apache-2.0 OR MIT" -> ["Apache-2.0", "MIT"].
 * Follows the SPDX license expression grammar (SPDX 2.3, annex D) loosely: operators and
 * parentheses are dropped, as are license exceptions (the id after WITH is not a license).
 * Text that is not an expression ("Llama 3 Community License") is kept whole: never a guess.
 * Common ids in another case ("apache-2.0") get their canonical spelling (spdx-ids.ts).
 */
import { canonicalLicenseId } from './spdx-ids.js';

const OPERATORS = new Set(['AND', 'OR', 'WITH', 'and', 'or', 'with']);
const LICENSE_ID = /^(?:DocumentRef-[A-Za-z0-9.-]+:)?[A-Za-z0-9.-]+\+?$/;
/** SPDX's "no information" value: an unknown license, so it is left out. */
const NO_ASSERTION = 'NOASSERTION';

/** The ids of one expression, or null when the text is not an SPDX expression. */
function expressionIds(expression: string): string[] | null {
  const tokens = expression
    .replace(/[()]/g, ' ')
    .split(/\s+/)
    .filter((token) => token !== '');
  const ids: string[] = [];
  let expectId = true;
  let afterWith = false;
  for (const token of tokens) {
    const isOperator = OPERATORS.has(token);
    if (expectId === isOperator) return null;
    if (isOperator) afterWith = token.toUpperCase() === 'WITH';
    else if (!LICENSE_ID.test(token)) return null;
    else if (!afterWith) ids.push(token);
    expectId = isOperator;
  }
  return expectId ? null : ids;
}

/**
 * License ids of license expressions, in order, without duplicates. Each input may be an SPDX
 * expression, a comma-separated list, or free text (kept whole); ids in the common-id table are
 * spelled canonically (`mit` -> `MIT`).
 */
export function splitLicenses(expressions: readonly string[]): string[] {
  const ids: string[] = [];
  for (const expression of expressions) {
    for (const part of expression.split(',')) {
      const trimmed = part.trim();
      if (trimmed === '') continue;
      ids.push(...(expressionIds(trimmed)?.map(canonicalLicenseId) ?? [trimmed]));
    }
  }
  return [...new Set(ids)].filter((id) => id !== NO_ASSERTION);
}
