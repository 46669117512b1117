/**
 * What a prepared policy offers: one check per signature scheme. Its own file, below both the
 * code that builds one (scheme-verifiers.ts) and the code that uses one (verify-material.ts), so
 * prepared-trust.ts can import both without a cycle.
 */
import type { SignatureCheck, SignatureMaterial } from '../domain/trust.js';

/** The checks of one policy, one per signature scheme. */
export interface PreparedPolicy {
  name: string;
  sigstoreBundle(bundle: unknown, subject: string, subjectManifest?: string): SignatureCheck;
  notation(envelope: Uint8Array, mediaType: string, material: SignatureMaterial, subject: string): SignatureCheck;
  simpleSigning(payload: Uint8Array, annotations: Record<string, string>, subject: string): SignatureCheck;
}
