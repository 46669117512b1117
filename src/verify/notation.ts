import type { SignatureCheck } from '../domain/trust.js';
export interface NotationTrust { trustStore: string[]; trustedIdentities: string[] }
export interface NotationVerifier { verify(envelope: Uint8Array, mediaType: string, target: { digest: string; mediaType: string; size: number }, now?: Date): SignatureCheck }
export function createNotationVerifier(_trust: NotationTrust): NotationVerifier { return { verify: () => ({ ok: false, reason: 'unsupported_format', detail: 'stub' }) }; }
