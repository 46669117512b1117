import type { SignatureCheck } from '../domain/trust.js';
export interface SigstoreTrust { trustedRoot: unknown | null; identities: Array<{ issuer: string; subject?: string; subjectRegExp?: string }>; publicKeys: string[] }
export interface SignedTarget { digest: string; artifact?: Uint8Array }
export interface SigstoreVerifier { verifyBundle(bundle: unknown, target: SignedTarget): SignatureCheck; verifySimpleSigning(payload: Uint8Array, annotations: Record<string, string>, target: SignedTarget): SignatureCheck }
export function createSigstoreVerifier(_trust: SigstoreTrust): SigstoreVerifier { const no = (): SignatureCheck => ({ ok: false, reason: 'unsupported_format', detail: 'stub' }); return { verifyBundle: no, verifySimpleSigning: no }; }
