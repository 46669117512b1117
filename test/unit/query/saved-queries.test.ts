/** Saved queries: the shipped ones load and run; a broken file is an error naming it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { evaluatePlain, loadSavedQueries } from '../../../src/query/index.js';
import { modelDocument, queryFixture } from './support.js';

const QUERIES = fileURLToPath(new URL('../../../queries', import.meta.url));

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function directoryWith(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'ocidex-queries-'));
  directories.push(directory);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  return directory;
}

function loadError(directory: string): { code: string; message: string } {
  try {
    loadSavedQueries(directory);
  } catch (error) {
    if (isOcidexError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an error');
}

const VALID = 'name: ok\ndescription: fine\nquery: "$[?@.signed == true]"\n';

describe('shipped saved queries', () => {
  const saved = loadSavedQueries(QUERIES);

  it('include the documented set', () => {
    expect(saved.map((query) => query.name)).toEqual(
      expect.arrayContaining([
        'apache-licensed',
        'high-accuracy',
        'signed-models',
        'unsigned-models',
        'modelpack-llms',
        'largest-models',
        'mountable-models',
      ]),
    );
  });

  it('run on the engine exactly as on the plain evaluator', () => {
    const fixture = queryFixture([
      modelDocument('big', {
        size: 9e9,
        referrers: [
          {
            digest: `sha256:${'a'.repeat(64)}`,
            mediaType: null,
            artifactType: null,
            kind: 'signature',
            annotations: {},
            referrers: [],
          },
        ],
      }),
      modelDocument('accurate', { model: { ...modelDocument('x').model!, metrics: { accuracy: 0.97 } } }),
      modelDocument('mit', { model: { ...modelDocument('x').model!, license: 'MIT' } }),
      modelDocument('image', { kind: 'image', format: 'oci-image', model: null }),
      modelDocument('mountable', { mount: { imageVolume: true, artifactVolume: true, reason: null } }),
    ]);
    try {
      for (const query of saved) {
        const options = {
          dialect: query.dialect,
          ...(query.sort ? { sort: query.sort } : {}),
          ...(query.order ? { order: query.order } : {}),
        };
        const expected = evaluatePlain(fixture.documents(), query.query, options);
        expect(fixture.engine.query(query.query, options).items, query.name).toEqual(expected);
        expect(expected.length, query.name).toBeGreaterThan(0);
      }
    } finally {
      fixture.cleanup();
    }
  });
});

describe('broken saved queries', () => {
  it.each([
    ['not yaml', 'name: [unclosed\n', 'invalid_argument'],
    ['an invalid query', 'name: bad\ndescription: d\nquery: "$[?@.a ==]"\n', 'invalid_query'],
    ['an unknown dialect', `${VALID}dialect: xpath\n`, 'invalid_argument'],
    ['an unknown field', `${VALID}limit: 3\n`, 'invalid_argument'],
    ['a bad sort path', `${VALID}sort: "@.tags[*]"\n`, 'invalid_argument'],
    ['a bad order', `${VALID}order: up\n`, 'invalid_argument'],
    ['no description', 'name: x\nquery: "$"\n', 'invalid_argument'],
    ['a bad name', 'name: Not Ok\ndescription: d\nquery: "$"\n', 'invalid_argument'],
  ])('names the file holding %s', (_label, text, code) => {
    const directory = directoryWith({ 'a-good.yaml': VALID.replace('ok', 'good'), 'b-broken.yaml': text });
    const error = loadError(directory);
    expect(error.code).toBe(code);
    expect(error.message).toContain(join(directory, 'b-broken.yaml'));
  });

  it('names both files of a duplicated name', () => {
    const directory = directoryWith({ 'a.yaml': VALID, 'b.yaml': VALID });
    const error = loadError(directory);
    expect(error.message).toContain(join(directory, 'a.yaml'));
    expect(error.message).toContain(join(directory, 'b.yaml'));
  });

  it('fails on a missing directory', () => {
    expect(loadError(join(tmpdir(), 'ocidex-no-such-directory')).code).toBe('invalid_argument');
  });
});
