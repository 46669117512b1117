/** Random queries in both dialects, over the fields random documents have (and some they lack). */
import type { QueryOptions } from '../../../../src/query/index.js';
import { LONG_STRING, NUMBERS } from './documents.js';
import type { Random } from './random.js';

const PATHS = [
  '@.model.license',
  '@.model.metrics.accuracy',
  '@.size',
  '@.signed',
  '@.kind',
  '@.tags',
  '@.tags[0]',
  '@.tags[-1]',
  '@.model',
  '@.model.licenses',
  '@.model.description',
  '@.model.format',
  '@.nope',
  "@.annotations['a.b']",
  '@.annotations["it\'s"]',
  '@.annotations.a',
  '@.annotations.ü',
  '@.config.a.a.a.a.a.a.a.a.a',
  '@.config.a.a.a.a.a.a.a',
  '@.config.a.a.a.a.a.a.a.x',
  '@.config.x',
  '@.config',
  '@.layers[0].size',
  '@.bulk.k5',
  '@.bulk.k1999',
  '@.model.metrics.f1',
  '@.config.a',
  '@.annotations.license',
  '@.model.metrics',
];
const QUERY_STRINGS = [
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
  'latest',
  LONG_STRING,
  'zzz',
];
const OPERATORS = ['==', '!=', '<', '<=', '>', '>='];
const PATTERNS = ['a.*', 'A', '[0-9]+', '^M', 'é', '(a|b)+', '.*-2\\\\.0', 'x{3,}', '\\\\p{Lu}.*', '[^a]'];

function rfcString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function rfcLiteral(random: Random): string {
  const roll = random.int(10);
  if (roll < 5) return rfcString(random.pick(QUERY_STRINGS));
  if (roll < 8) return JSON.stringify(random.pick(NUMBERS));
  return random.pick(['true', 'false', 'null']);
}

function rfcAtom(random: Random): string {
  const path = random.pick(PATHS);
  const operator = random.pick(OPERATORS);
  switch (random.int(12)) {
    case 0:
    case 1:
    case 2:
      return `${path} ${operator} ${rfcLiteral(random)}`;
    case 3:
      return `${rfcLiteral(random)} ${operator} ${path}`;
    case 4:
      return `${path} ${operator} ${random.pick(PATHS)}`;
    case 5:
      return random.chance(0.5)
        ? `length(${path}) ${operator} ${random.int(4)}`
        : `value(${path}) ${operator} ${rfcLiteral(random)}`;
    case 6:
      return `count(@.tags[*]) ${operator} ${random.int(3)}`;
    case 7:
      return random.pick([
        "@.tags[?@ == 'latest']",
        "@.tags[?@ == 'v1' || @ == 'a']",
        '@.model.metrics[?@ > 0.5]',
        '@.config..x',
        '@.tags[*]',
        '@..accuracy',
        "@.model.licenses[?@ >= 'MIT']",
      ]);
    case 8:
      return `${random.pick(['match', 'search'])}(${path}, '${random.pick(PATTERNS)}')`;
    default:
      return path;
  }
}

function rfcExpression(random: Random, depth: number): string {
  if (depth === 0 || random.chance(0.45)) return random.chance(0.15) ? `!${rfcAtom(random)}` : rfcAtom(random);
  const roll = random.int(3);
  if (roll === 0) return `!(${rfcExpression(random, depth - 1)})`;
  return `(${rfcExpression(random, depth - 1)} ${roll === 1 ? '&&' : '||'} ${rfcExpression(random, depth - 1)})`;
}

/** A random RFC 9535 filter expression. */
export function randomRfcFilter(random: Random): string {
  return rfcExpression(random, 3);
}

/** A random RFC 9535 query over the documents array. */
export function randomRfcQuery(random: Random): string {
  const filter = rfcExpression(random, 3);
  const shapes = [
    `$[?${filter}]`,
    `$[?${filter}]`,
    `$[?${filter}].reference`,
    `$[?${filter}].tags[*]`,
    `$[?${filter}]..license`,
    `$[?${filter}].model.metrics.accuracy`,
    '$[*].size',
    '$..accuracy',
    '$[*]',
    '$[0]',
    '$[-1].reference',
    `$[?${filter}, ?${rfcAtom(random)}].reference`,
    '$[?@.size == $[0].size].reference',
    '$.reference',
    '$[1:4].size',
    '$..[0]',
  ];
  return random.chance(0.8) ? random.pick(shapes.slice(0, 6)) : random.pick(shapes);
}

const PLUS_PATHS = [
  '@.model.license',
  '@.model.metrics.accuracy',
  '@.size',
  '@.signed',
  '@.kind',
  '@.tags',
  '@.tags[0]',
  '@.model',
  "@.annotations['a.b']",
  '@.config.a.a.a.a.a.a.a.a.a',
  '@.nope',
  '@.tags.length',
  '@.model.description',
  '@.annotations.a',
];
const PLUS_OPERATORS = ['===', '!==', '==', '!=', '<', '<=', '>', '>='];

function plusLiteral(random: Random): string {
  const roll = random.int(10);
  if (roll < 5) return rfcString(random.pick([...QUERY_STRINGS, '\ud800x', '1', '  ']));
  if (roll < 8) return String(random.pick(NUMBERS));
  return random.pick(['true', 'false', 'null', 'undefined']);
}

function plusExpression(random: Random, depth: number): string {
  if (depth === 0 || random.chance(0.45)) {
    const path = random.pick(PLUS_PATHS);
    if (random.chance(0.05))
      return random.pick([
        `${path} - 1 > 5`,
        `${path} % 2`,
        `-${path} < -0.5`,
        `(${path} + '') === '1'`,
        `@.size * 2 >= 5`,
      ]);
    if (random.chance(0.2)) return random.chance(0.5) ? path : `!${path}`;
    const [left, right] = random.chance(0.8) ? [path, plusLiteral(random)] : [plusLiteral(random), path];
    return `${left} ${random.pick(PLUS_OPERATORS)} ${right}`;
  }
  const roll = random.int(3);
  if (roll === 0) return `!(${plusExpression(random, depth - 1)})`;
  return `(${plusExpression(random, depth - 1)} ${roll === 1 ? '&&' : '||'} ${plusExpression(random, depth - 1)})`;
}

/** A random jsonpath-plus query (script filters). */
export function randomPlusQuery(random: Random): string {
  const filter = plusExpression(random, 3);
  const shapes = [
    `$[?(${filter})]`,
    `$[?(${filter})].reference`,
    `$[?(${filter})].tags[*]`,
    '$[*].size',
    '$..license',
    '$[0].reference',
    '$[?(@.size > @root[0].size)].reference',
    '$.reference',
    '$.length',
    '$..tags[0]',
  ];
  return random.chance(0.85) ? random.pick(shapes.slice(0, 3)) : random.pick(shapes);
}

const SORTS = [
  '@.size',
  '@.model.metrics.accuracy',
  '@.model.license',
  '@.signed',
  '@.tags[0]',
  '@.config.a.a.a.a.a.a.a.a.a',
  '@.model',
  '@.model.description',
  '@.nope',
  '@.kind',
  '$.annotations.a',
];

/** Random sort, order and page size. */
export function randomOptions(random: Random): QueryOptions {
  const options: QueryOptions = {};
  if (random.chance(0.4)) options.sort = random.pick(SORTS);
  if (random.chance(0.4)) options.order = random.pick(['asc', 'desc'] as const);
  if (random.chance(0.5)) options.limit = random.pick([2, 3, 7, 50]);
  return options;
}

export const FACET_PATHS = [
  '@.model.license',
  '@.size',
  '@.tags[*]',
  '@.model.metrics.accuracy',
  '@.model',
  '@.model.description',
  '@.signed',
  '@.tags[0]',
  '@.annotations.a',
];
