/**
 * Common SPDX license ids in their canonical spelling (SPDX License List), so an id written in
 * another case (a GGUF `general.license` of "apache-2.0", Hugging Face's "mit") queries as the
 * id it is. A small table of what model artifacts say, not the whole list: an id not in it is
 * kept as written, never guessed.
 */

const CANONICAL_IDS = [
  '0BSD',
  'AFL-3.0',
  'AGPL-3.0',
  'AGPL-3.0-only',
  'AGPL-3.0-or-later',
  'Apache-1.1',
  'Apache-2.0',
  'Artistic-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'BSD-3-Clause-Clear',
  'BSL-1.0',
  'CC-BY-2.0',
  'CC-BY-3.0',
  'CC-BY-4.0',
  'CC-BY-NC-2.0',
  'CC-BY-NC-3.0',
  'CC-BY-NC-4.0',
  'CC-BY-NC-ND-3.0',
  'CC-BY-NC-ND-4.0',
  'CC-BY-NC-SA-2.0',
  'CC-BY-NC-SA-3.0',
  'CC-BY-NC-SA-4.0',
  'CC-BY-ND-4.0',
  'CC-BY-SA-3.0',
  'CC-BY-SA-4.0',
  'CC0-1.0',
  'CDLA-Permissive-1.0',
  'CDLA-Permissive-2.0',
  'CDLA-Sharing-1.0',
  'ECL-2.0',
  'EPL-1.0',
  'EPL-2.0',
  'EUPL-1.1',
  'EUPL-1.2',
  'GPL-2.0',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-3.0',
  'GPL-3.0-only',
  'GPL-3.0-or-later',
  'ISC',
  'LGPL-2.1',
  'LGPL-2.1-only',
  'LGPL-2.1-or-later',
  'LGPL-3.0',
  'LGPL-3.0-only',
  'LGPL-3.0-or-later',
  'LPPL-1.3c',
  'MIT',
  'MIT-0',
  'MPL-2.0',
  'MS-PL',
  'NCSA',
  'ODbL-1.0',
  'OFL-1.1',
  'OSL-3.0',
  'PDDL-1.0',
  'PostgreSQL',
  'Unlicense',
  'UPL-1.0',
  'WTFPL',
  'Zlib',
];

const BY_LOWER_CASE = new Map(CANONICAL_IDS.map((id) => [id.toLowerCase(), id]));

/** The canonical spelling of a common SPDX id, matched case-insensitively; else `id` unchanged. */
export function canonicalLicenseId(id: string): string {
  return BY_LOWER_CASE.get(id.toLowerCase()) ?? id;
}
