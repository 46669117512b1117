/**
 * `WWW-Authenticate` parsing (RFC 9110 §11.6.1): several challenges per header and several
 * headers, parameters as tokens or quoted strings (commas and escapes inside quotes).
 */

/** One challenge of a `WWW-Authenticate` header. */
export interface Challenge {
  /** Lower case: `bearer`, `basic`, ... */
  scheme: string;
  /** Parameter names in lower case. */
  params: Record<string, string>;
}

const SEPARATORS = new Set([' ', '\t', ',', '=']);

class Scanner {
  position = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string {
    return this.text[this.position] ?? '';
  }

  skip(characters: string): void {
    while (!this.done && characters.includes(this.peek())) this.position += 1;
  }

  token(): string {
    const start = this.position;
    while (!this.done && !SEPARATORS.has(this.peek())) this.position += 1;
    return this.text.slice(start, this.position);
  }

  quoted(): string {
    let value = '';
    this.position += 1; // opening quote
    while (!this.done && this.peek() !== '"') {
      if (this.peek() === '\\') this.position += 1;
      value += this.peek();
      this.position += 1;
    }
    this.position += 1; // closing quote
    return value;
  }
}

/** Every challenge in the given header values, in order. */
export function parseChallenges(values: readonly string[]): Challenge[] {
  const challenges: Challenge[] = [];
  for (const value of values) {
    const scanner = new Scanner(value);
    let current: Challenge | undefined;
    while (!scanner.done) {
      scanner.skip(' \t,');
      const word = scanner.token();
      if (word === '') {
        scanner.position += 1; // a stray "=": step over it
        continue;
      }
      scanner.skip(' \t');
      if (scanner.peek() !== '=' || current === undefined) {
        current = { scheme: word.toLowerCase(), params: {} };
        challenges.push(current);
        continue;
      }
      scanner.position += 1; // "="
      scanner.skip(' \t');
      current.params[word.toLowerCase()] = scanner.peek() === '"' ? scanner.quoted() : scanner.token();
    }
  }
  return challenges;
}
