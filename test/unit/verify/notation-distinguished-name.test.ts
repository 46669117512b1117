/**
 * Distinguished names as Notation trust policies match them (notation-go internal/pkix):
 * RFC 4514 escapes, the mandatory C/ST/O, subset matching, and Node's one-per-line subject text.
 */
import { describe, expect, it } from 'vitest';
import { formatRdns, isSubsetDn, parseRdns, toDnMap } from '../../../src/verify/distinguished-name.js';

const dn = (text: string) => toDnMap(parseRdns(text, ','));

describe('parseRdns', () => {
  it('unescapes \\, \\+ \\\\ and hex pairs, trims unescaped spaces, keeps escaped ones', () => {
    const rdns = parseRdns('O=Acme\\, Inc. ,OU= a\\+b ,CN=x\\\\y\\ , street=caf\\C3\\A9', ',');
    const [org, unit, name, street] = rdns.map((rdn) => rdn[0]);
    expect(org).toEqual({ type: 'O', value: 'Acme, Inc.', text: 'O=Acme\\, Inc.' });
    expect(unit?.value).toBe('a+b');
    expect(name?.value).toBe('x\\y ');
    expect(street).toMatchObject({ type: 'STREET', value: 'café' });
  });

  it("reads Node's subject text: one attribute per line, ' + ' between multi-valued parts", () => {
    const rdns = parseRdns('C=US\nST=WA\nO=Acme\\, Inc.\nCN=a + OU=b', '\n');
    const values = rdns.map((rdn) => rdn.map((attribute) => attribute.value));
    expect(values).toEqual([['US'], ['WA'], ['Acme, Inc.'], ['a', 'b']]);
    expect(formatRdns(rdns)).toBe('C=US, ST=WA, O=Acme\\, Inc., CN=a + OU=b');
  });

  it.each(['', 'C', '=US', 'C=US, bad type=x', 'C=US\\'])('rejects %j', (text) => {
    expect(() => parseRdns(text, ',')).toThrow();
  });
});

describe('toDnMap and isSubsetDn', () => {
  it('requires C, ST and O', () => {
    expect(() => dn('C=US, O=Acme')).toThrow(/ST/);
    expect(dn('c=US, st=WA, o=Acme').get('ST')).toBe('WA');
  });

  it('matches when every trusted attribute is in the subject with the same value', () => {
    const subject = dn('C=US, ST=WA, L=Seattle, O=Acme, CN=signer');
    expect(isSubsetDn(dn('C=US, ST=WA, O=Acme'), subject)).toBe(true);
    expect(isSubsetDn(dn('CN=signer, O=Acme, ST=WA, C=US'), subject)).toBe(true);
    expect(isSubsetDn(dn('C=US, ST=WA, O=acme'), subject)).toBe(false);
    expect(isSubsetDn(dn('C=US, ST=WA, O=Acme, OU=Build'), subject)).toBe(false);
  });
});
