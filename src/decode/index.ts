/**
 * src/decode: pure functions from registry bytes to the normalized document. No I/O.
 * Formats: ../../../shared/FORMATS.md. Document contract: ../domain/document.ts.
 */
export { decodeAnnotations } from './annotations.js';
export { configToFetch, MAX_CONFIG_BYTES } from './config.js';
export { decodeArtifact, type DecodeInput } from './decode-artifact.js';
export { indexMount, manifestMount } from './mount.js';
export { parseManifest } from './parse-manifest.js';
export type { DecodeProblem } from './problems.js';
export { isSigstoreBundle, listingSettles, summarizeReferrer } from './referrers.js';
export { bundleFacts, COSIGN_SIGN_PREDICATE, predicateKind } from './sigstore-kind.js';
export { classifyTag, type TagClass } from './tags.js';
