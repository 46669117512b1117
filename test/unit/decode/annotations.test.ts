import { describe, expect, it } from 'vitest';
import { decodeAnnotations } from '../../../src/decode/index.js';

const codes = (result: { problems: { code: string }[] }) => result.problems.map((problem) => problem.code);

describe('decodeAnnotations', () => {
  it('returns an empty object for no annotations', () => {
    expect(decodeAnnotations(undefined)).toEqual({ annotations: {}, problems: [] });
  });

  it('decodes `+json` keys under the key without the suffix and keeps the others', () => {
    const result = decodeAnnotations({
      name: 'mnist',
      'customProperties+json': '{"accuracy": 0.987, "license": "Apache-2.0"}',
      'tags+json': '["a","b"]',
      'epochs+json': '12',
      'note+json': '"text"',
      'org.cncf.model.file.metadata+json': '{"name":"model.safetensors","size":5}',
    });
    expect(result).toEqual({
      annotations: {
        name: 'mnist',
        customProperties: { accuracy: 0.987, license: 'Apache-2.0' },
        tags: ['a', 'b'],
        epochs: 12,
        note: 'text',
        'org.cncf.model.file.metadata': { name: 'model.safetensors', size: 5 },
      },
      problems: [],
    });
  });

  it('keeps an invalid JSON value as a string under the original key, naming it in the problem', () => {
    const result = decodeAnnotations({ 'customProperties+json': '{"accuracy": 0.9,' }, 'layers[3]');
    expect(result.annotations).toEqual({ 'customProperties+json': '{"accuracy": 0.9,' });
    expect(codes(result)).toEqual(['invalid_json_annotation']);
    expect(result.problems[0]?.message).toContain('layers[3] annotation "customProperties+json"');
  });

  it('keeps a plain key when a `+json` twin exists, and the decoded twin under its own key', () => {
    const result = decodeAnnotations({ metrics: 'see below', 'metrics+json': '{"f1": 0.8}' });
    expect(result.annotations).toEqual({ metrics: 'see below', 'metrics+json': { f1: 0.8 } });
  });

  it('leaves a bare "+json" key alone', () => {
    expect(decodeAnnotations({ '+json': '{}' }).annotations).toEqual({ '+json': '{}' });
  });

  it('turns numbers too large for a double into null instead of Infinity', () => {
    expect(decodeAnnotations({ 'big+json': '{"n": 1e400}' }).annotations).toEqual({ big: { n: null } });
  });

  it('refuses absurdly nested JSON as invalid', () => {
    const deep = `${'['.repeat(200)}${']'.repeat(200)}`;
    const result = decodeAnnotations({ 'deep+json': deep });
    expect(result.annotations).toEqual({ 'deep+json': deep });
    expect(result.problems[0]?.message).toContain('nested deeper');
  });

  it('reports values that are not strings as invalid_manifest and keeps them', () => {
    const hostile = { count: 3, nested: { a: 1 }, ok: 'yes' } as unknown as Record<string, string>;
    const result = decodeAnnotations(hostile);
    expect(result.annotations).toEqual({ count: 3, nested: { a: 1 }, ok: 'yes' });
    expect(codes(result)).toEqual(['invalid_manifest', 'invalid_manifest']);
  });

  it.each([[['a']], ['text'], [42]])('reports annotations that are not an object (%j)', (hostile) => {
    const result = decodeAnnotations(hostile as unknown as Record<string, string>);
    expect(result.annotations).toEqual({});
    expect(codes(result)).toEqual(['invalid_manifest']);
  });

  it('cannot pollute prototypes through `__proto__` keys', () => {
    const raw = JSON.parse('{"__proto__+json": "{\\"polluted\\": true}"}') as Record<string, string>;
    const result = decodeAnnotations(raw);
    expect(Object.getPrototypeOf(result.annotations)).toBe(Object.prototype);
    expect((result.annotations as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(result.annotations, '__proto__')?.value).toEqual({ polluted: true });
  });
});
