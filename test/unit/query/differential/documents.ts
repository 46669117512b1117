/**
 * Random documents shaped like crawls but with every field free to go wrong: missing, null,
 * mixed types, nested objects and arrays, long strings, deep paths, odd member names,
 * surrogates, and now and then a document with more values than the index keeps (truncated).
 */
import type { ArtifactDocument, JsonValue } from '../../../../src/domain/document.js';
import { documentReference } from '../../../../src/domain/document.js';
import { MAX_INDEXED_STRING, MAX_VALUES_PER_DOCUMENT } from '../../../../src/store/values.js';
import type { Random } from './random.js';

export const LONG_STRING = `${'x'.repeat(MAX_INDEXED_STRING)}-long`;
export const LONGER_STRING = `${'x'.repeat(MAX_INDEXED_STRING)}-longer`;

export const STRINGS = [
  'Apache-2.0',
  'MIT',
  'gguf',
  'safetensors',
  '',
  'a',
  'ab',
  'b',
  'é',
  '\ue000',
  '😀',
  'A1',
  'latest',
  'v1',
  LONG_STRING,
  LONGER_STRING,
  '\ud800x',
];
export const NUMBERS = [0, 1, 2.5, -3, 0.9, 0.95, 1e21, 100, 7, -0.5];
export const NAMES = ['a', 'b', 'license', 'accuracy', 'x', "it's", 'a.b', 'ü', 'tags'];

function scalar(random: Random): JsonValue {
  const roll = random.int(10);
  if (roll < 4) return random.pick(STRINGS);
  if (roll < 7) return random.pick(NUMBERS);
  if (roll < 9) return random.chance(0.5);
  return null;
}

function value(random: Random, depth: number): JsonValue {
  const roll = random.int(10);
  if (depth > 0 && roll < 2) return object(random, depth - 1, 1 + random.int(3));
  if (depth > 0 && roll < 4)
    return Array.from({ length: random.int(4) }, () =>
      random.chance(0.7) ? scalar(random) : value(random, depth - 1),
    );
  return scalar(random);
}

function object(random: Random, depth: number, size: number): { [key: string]: JsonValue } {
  const result: { [key: string]: JsonValue } = {};
  for (let index = 0; index < size; index += 1) result[random.pick(NAMES)] = value(random, depth);
  return result;
}

/** A chain a.a.a... `depth` levels deep ending in a scalar (paths deeper than MAX_VALUE_DEPTH). */
function deep(random: Random, depth: number): JsonValue {
  return depth === 0
    ? scalar(random)
    : { a: deep(random, depth - 1), ...(random.chance(0.3) ? { x: scalar(random) } : {}) };
}

function model(random: Random): JsonValue {
  if (random.chance(0.1)) return random.chance(0.5) ? null : scalar(random);
  const fields: { [key: string]: JsonValue } = {};
  if (random.chance(0.9))
    fields['license'] = random.chance(0.8) ? random.pick(['Apache-2.0', 'MIT', 'gguf', null]) : scalar(random);
  if (random.chance(0.7))
    fields['licenses'] = Array.from({ length: random.int(3) }, () => random.pick(['Apache-2.0', 'MIT', 'a']));
  if (random.chance(0.8))
    fields['format'] = random.chance(0.8) ? random.pick(['gguf', 'safetensors', 'onnx']) : scalar(random);
  if (random.chance(0.8))
    fields['metrics'] = random.chance(0.9)
      ? {
          accuracy: random.chance(0.8) ? random.pick(NUMBERS) : scalar(random),
          ...(random.chance(0.3) ? { f1: random.pick(NUMBERS) } : {}),
        }
      : scalar(random);
  if (random.chance(0.3)) fields['description'] = random.pick([LONG_STRING, LONGER_STRING, 'short', '😀 model']);
  return fields;
}

/** Document number `index` of a random corpus. */
export function randomDocument(random: Random, index: number): ArtifactDocument {
  const registry = random.pick(['r.test', 'q.test']);
  const repository = `repo/${random.int(5)}`;
  const digest = `sha256:${index.toString(16).padStart(64, '0')}`;
  const document: { [key: string]: JsonValue } = {
    reference: documentReference(registry, repository, digest),
    registry,
    repository,
    digest,
    tags: Array.from({ length: random.int(4) }, () => random.pick(['latest', 'v1', 'v2', 'a'])),
    kind: random.pick(['model', 'image', 'artifact']),
    format: random.pick(['modelpack', 'omlmd', 'oci-image']),
    crawledAt: '2025-03-01T10:00:00.000Z',
    referrers: [],
  };
  if (random.chance(0.85)) document['model'] = model(random);
  if (random.chance(0.8)) document['size'] = random.chance(0.85) ? random.pick(NUMBERS) : scalar(random);
  if (random.chance(0.5)) document['annotations'] = object(random, 2, random.int(4));
  if (random.chance(0.5)) document['config'] = random.chance(0.5) ? deep(random, 6 + random.int(6)) : value(random, 3);
  if (random.chance(0.2))
    document['layers'] = Array.from({ length: random.int(3) }, () => ({
      size: random.pick(NUMBERS),
      title: scalar(random),
    }));
  if (index % 100 === 7)
    document['bulk'] = Object.fromEntries(
      Array.from({ length: MAX_VALUES_PER_DOCUMENT }, (_, key) => [`k${key}`, key % 7]),
    );
  const signed = random.chance(0.3);
  if (signed)
    document['referrers'] = [
      {
        digest: `sha256:${'f'.repeat(63)}${index % 10}`,
        mediaType: null,
        artifactType: null,
        kind: 'signature',
        annotations: {},
        referrers: [],
      },
    ];
  return document as unknown as ArtifactDocument;
}
