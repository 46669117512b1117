/**
 * The egress policy: which addresses the crawler may connect to. Registry URLs, token realms and
 * redirects come from configurations and from the registries themselves, so without a policy a
 * registry could point the crawler at a cloud metadata service, and the crawl errors anyone can
 * read would report what answered there. Link-local and cloud-metadata addresses are refused by
 * default, checked after DNS resolution (every address a name resolves to); loopback and private
 * ranges stay allowed (internal registries live there). Operators add CIDRs to allow or deny with
 * OCIDEX_EGRESS_ALLOW / OCIDEX_EGRESS_DENY (comma-separated).
 */
import { BlockList, isIP } from 'node:net';
import { OcidexError } from '../domain/errors.js';

/** CIDR lists an operator adds to the defaults: `deny` wins over `allow`, `allow` over the defaults. */
export interface EgressPolicy {
  allow: readonly string[];
  deny: readonly string[];
}

/** Refused unless allowed: link-local (metadata services live there) and known metadata addresses. */
export const DEFAULT_DENIED_CIDRS: readonly string[] = [
  '169.254.0.0/16', // IPv4 link-local, incl. 169.254.169.254 (AWS, GCP, Azure, OpenStack) and 169.254.170.2 (ECS)
  'fe80::/10', // IPv6 link-local
  'fd00:ec2::254/128', // AWS IMDS over IPv6
  '100.100.100.200/32', // Alibaba Cloud metadata
  '192.0.0.192/32', // Oracle Cloud metadata (legacy)
  '0.0.0.0/8', // "this network": connects to the local host on some systems
  '::/128',
];

/** No additions: the defaults only. */
export const DEFAULT_EGRESS_POLICY: EgressPolicy = { allow: [], deny: [] };

/** The environment variables an operator sets the policy with. */
export const EGRESS_ALLOW_ENV = 'OCIDEX_EGRESS_ALLOW';
export const EGRESS_DENY_ENV = 'OCIDEX_EGRESS_DENY';

function blockList(cidrs: readonly string[], setting: string): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', prefix] = cidr.trim().split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || !Number.isInteger(bits) || bits < 0 || bits > maxBits) {
      throw new OcidexError('invalid_argument', `${setting}: '${cidr.slice(0, 60)}' is not an IP address or CIDR`);
    }
    list.addSubnet(address, bits, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** Decides, per resolved address, whether the crawler may connect there. */
export class EgressGuard {
  private readonly allowed: BlockList;
  private readonly denied: BlockList;
  private readonly defaults = blockList(DEFAULT_DENIED_CIDRS, 'default egress policy');

  constructor(policy: EgressPolicy = DEFAULT_EGRESS_POLICY) {
    this.allowed = blockList(policy.allow, EGRESS_ALLOW_ENV);
    this.denied = blockList(policy.deny, EGRESS_DENY_ENV);
  }

  /** Why `address` (an IP literal) is refused, or null when the crawler may connect to it. */
  refusal(address: string): string | null {
    const bare = address.replace(/^\[|\]$/g, '');
    const family = isIP(bare);
    if (family === 0) return null;
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (this.denied.check(bare, type)) return `${bare} is denied by ${EGRESS_DENY_ENV}`;
    if (this.allowed.check(bare, type)) return null;
    if (this.defaults.check(bare, type)) return `${bare} is a link-local or cloud-metadata address`;
    return null;
  }

  /** Throws `egress_denied` when `address` is refused; `host` names what resolved to it. */
  check(host: string, address: string): void {
    const refusal = this.refusal(address);
    if (refusal !== null) throw egressDenied(host, refusal);
  }
}

/** The error of a refused connection (not transient: the address will not change its nature). */
export function egressDenied(host: string, reason: string): OcidexError {
  return new OcidexError(
    'egress_denied',
    `connection to ${host.slice(0, 200)} refused by the egress policy: ${reason}`,
  );
}

/** The operator's policy from the environment (comma-separated CIDR lists). */
export function egressPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): EgressPolicy {
  const list = (name: string): string[] =>
    (env[name] ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const policy = { allow: list(EGRESS_ALLOW_ENV), deny: list(EGRESS_DENY_ENV) };
  new EgressGuard(policy); // validates the lists now, at start-up, with a message naming the variable
  return policy;
}
