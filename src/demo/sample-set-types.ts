/** What `pushSampleSet` pushed, for the demo's output and for tests to assert against. */
import type { ArtifactFormat, ArtifactKind, MountInfo, ReferrerKind } from '../domain/document.js';

/** Facts as stored in the artifact (what a decoder can know); null when the artifact has none. */
export interface SampleFacts {
  /** Model name as the artifact states it. */
  name: string | null;
  /** First license (SPDX id). */
  license: string | null;
  /** Model file format (onnx, safetensors, gguf, ...), not the artifact format. */
  modelFormat: string | null;
  accuracy: number | null;
  /** A Notation signature refers to it. */
  signed: boolean;
  /** An SPDX SBOM refers to it. */
  sbom: boolean;
  /** Annotation keys ending in `+json` whose value is not JSON (to be reported, not dropped). */
  invalidJsonAnnotations: string[];
  /** For an index: its children's platforms as `os/architecture`. */
  platforms: string[];
  /** The `subject` digest (lineage: built from that manifest), else null. */
  subject: string | null;
  /** The ML framework the artifact states (KitOps `model.framework`). */
  framework: string | null;
  /** The model it derives from, as the artifact names it (a KitOps parent kit). */
  base: string | null;
  /** Whether a pod can mount it (see src/decode/mount.ts); null where a sample does not say. */
  mount: MountInfo | null;
}

/** A tagged artifact ocidex should index as a document. */
export interface SampleEntry {
  repository: string;
  tag: string;
  /** `repository:tag`. */
  ref: string;
  digest: string;
  mediaType: string;
  format: ArtifactFormat;
  kind: ArtifactKind;
  facts: SampleFacts;
  /** Digests of the referrers listed in its fallback index. */
  referrers: string[];
}

/** A referrer pushed by digest and listed in its subject's fallback index. */
export interface SampleReferrer {
  repository: string;
  digest: string;
  /** Digest of the manifest it refers to (a model, or another referrer). */
  subject: string;
  kind: ReferrerKind;
  artifactType: string;
  /** The `sha256-<hex>` tag of the subject's fallback index. */
  fallbackTag: string;
}

/** A cosign tag-based signature (`sha256-<hex>.sig`): a tag that is not a model version. */
export interface SampleCosignSignature {
  repository: string;
  tag: string;
  digest: string;
  subject: string;
  /** Signed with the sample set's signing key (verifiable), not a shaped placeholder. */
  verifiable: boolean;
}

export interface SampleSetInfo {
  artifacts: SampleEntry[];
  referrers: SampleReferrer[];
  cosignSignatures: SampleCosignSignature[];
  /** Repositories, sorted. */
  repositories: string[];
  /** Every tag pushed per repository, fallback and cosign tags included, sorted. */
  tags: Record<string, string[]>;
}

/** The entry pushed as `repository:tag`; throws when there is none (a test typo fails loudly). */
export function findSample(info: SampleSetInfo, ref: string): SampleEntry {
  const entry = info.artifacts.find((candidate) => candidate.ref === ref);
  if (entry === undefined)
    throw new Error(`no sample ${ref}; have ${info.artifacts.map((item) => item.ref).join(', ')}`);
  return entry;
}

/** Facts with every field at its "unknown" value, overridden by `facts`. */
export function sampleFacts(facts: Partial<SampleFacts>): SampleFacts {
  return {
    name: null,
    license: null,
    modelFormat: null,
    accuracy: null,
    signed: false,
    sbom: false,
    invalidJsonAnnotations: [],
    platforms: [],
    subject: null,
    framework: null,
    base: null,
    mount: null,
    ...facts,
  };
}
