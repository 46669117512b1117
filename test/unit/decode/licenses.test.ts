import { describe, expect, it } from 'vitest';
import { splitLicenses } from '../../../src/decode/licenses.js';

describe('splitLicenses', () => {
  it.each([
    [['MIT'], ['MIT']],
    [['Apache-2.0 OR MIT'], ['Apache-2.0', 'MIT']],
    [['(MIT AND BSD-3-Clause) OR Apache-2.0'], ['MIT', 'BSD-3-Clause', 'Apache-2.0']],
    [['mit or apache-2.0'], ['MIT', 'Apache-2.0']],
    [['apache-2.0'], ['Apache-2.0']],
    [
      ['CC-by-nc-4.0', 'llama3'],
      ['CC-BY-NC-4.0', 'llama3'],
    ],
    [['MIT', 'mit'], ['MIT']],
    [['GPL-2.0-only WITH Classpath-exception-2.0'], ['GPL-2.0-only']],
    [
      ['GPL-2.0+', 'LicenseRef-llama3'],
      ['GPL-2.0+', 'LicenseRef-llama3'],
    ],
    [['DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2'], ['DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2']],
    [['MIT, Apache-2.0'], ['MIT', 'Apache-2.0']],
    [
      ['MIT', 'MIT OR Apache-2.0'],
      ['MIT', 'Apache-2.0'],
    ],
    [['Llama 3 Community License'], ['Llama 3 Community License']],
    [['MIT OR'], ['MIT OR']],
    [['OR MIT'], ['OR MIT']],
    [['MIT And Apache-2.0'], ['MIT And Apache-2.0']],
    [['NOASSERTION'], []],
    [['', '  ', ' , '], []],
    [[], []],
  ])('%j -> %j', (expressions, ids) => {
    expect(splitLicenses(expressions)).toEqual(ids);
  });
});
