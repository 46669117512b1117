/**
 * String order shared by the engine and the plain evaluator: by Unicode code point, a lone
 * surrogate counting as its own code point. This is SQLite's BINARY order of the UTF-8 (WTF-8)
 * bytes better-sqlite3 stores, so sorting in SQL and in JavaScript agree.
 */
export function compareCodePoints(left: string, right: string): number {
  let leftIndex = 0;
  let rightIndex = 0;
  while (leftIndex < left.length && rightIndex < right.length) {
    const leftPoint = left.codePointAt(leftIndex) as number;
    const rightPoint = right.codePointAt(rightIndex) as number;
    if (leftPoint !== rightPoint) return leftPoint < rightPoint ? -1 : 1;
    leftIndex += leftPoint > 0xffff ? 2 : 1;
    rightIndex += rightPoint > 0xffff ? 2 : 1;
  }
  const leftRest = left.length - leftIndex;
  const rightRest = right.length - rightIndex;
  return leftRest === rightRest ? 0 : leftRest < rightRest ? -1 : 1;
}
