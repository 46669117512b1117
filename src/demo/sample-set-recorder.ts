/**
 * Pushes sample artifacts and records what was pushed (entries, referrers, tags) so the demo
 * can report it and tests can assert against it.
 */
import type { KeyObject } from 'node:crypto';
import type { ArtifactFormat, ArtifactKind, ReferrerKind } from '../domain/document.js';
import type { Pusher } from './pusher.js';
import {
  sampleFacts,
  type SampleCosignSignature,
  type SampleEntry,
  type SampleFacts,
  type SampleReferrer,
  type SampleSetInfo,
} from './sample-set-types.js';
import {
  attachReferrer,
  cosignKeySignature,
  cosignSignatureArtifact,
  cosignSignatureTag,
  descriptorOf,
  pushArtifact,
  referrerDescriptor,
  type SampleArtifact,
} from './samples.js';

export class SampleRecorder {
  readonly #pusher: Pusher;
  /** Signs cosign signatures verifiably when set (see samples-signing.ts). */
  readonly #signingKey: KeyObject | null;
  readonly #artifacts: SampleEntry[] = [];
  readonly #referrers: SampleReferrer[] = [];
  readonly #cosignSignatures: SampleCosignSignature[] = [];
  readonly #tags = new Map<string, Set<string>>();

  constructor(pusher: Pusher, signingKey: KeyObject | null = null) {
    this.#pusher = pusher;
    this.#signingKey = signingKey;
  }

  /** Pushes `artifact` as `repository:tag` and records it with its expected facts. */
  async push(
    repository: string,
    tag: string,
    artifact: SampleArtifact,
    format: ArtifactFormat,
    kind: ArtifactKind,
    facts: Partial<SampleFacts>,
  ): Promise<SampleEntry> {
    const pushed = await pushArtifact(this.#pusher, repository, artifact, tag);
    this.#addTag(repository, tag);
    const entry: SampleEntry = {
      repository,
      tag,
      ref: `${repository}:${tag}`,
      digest: pushed.digest,
      mediaType: artifact.mediaType,
      format,
      kind,
      facts: sampleFacts(facts),
      referrers: [],
    };
    this.#artifacts.push(entry);
    return entry;
  }

  /**
   * Attaches `referrer` (built with `subject` = the target) through the fallback index. The
   * target is an entry (its facts learn `signed`/`sbom`) or a recorded referrer's digest.
   */
  async attach(
    repository: string,
    target: SampleEntry | string,
    referrer: SampleArtifact,
    kind: ReferrerKind,
  ): Promise<SampleReferrer> {
    const subject = typeof target === 'string' ? target : target.digest;
    const attached = await attachReferrer(this.#pusher, repository, subject, referrer);
    this.#addTag(repository, attached.tag);
    const record: SampleReferrer = {
      repository,
      digest: attached.referrer.digest,
      subject,
      kind,
      artifactType: referrerDescriptor(referrer).artifactType ?? '',
      fallbackTag: attached.tag,
    };
    this.#referrers.push(record);
    if (typeof target !== 'string') {
      target.referrers.push(record.digest);
      if (kind === 'signature') target.facts.signed = true;
      if (kind === 'sbom') target.facts.sbom = true;
    }
    return record;
  }

  /** Pushes a cosign `.sig` tag for an entry (in the entry's repository). */
  async cosignSign(entry: SampleEntry, artifact: SampleArtifact): Promise<SampleCosignSignature> {
    const key = this.#signingKey;
    const signature =
      key === null
        ? cosignSignatureArtifact(descriptorOf(artifact), entry.repository)
        : {
            ...cosignKeySignature(descriptorOf(artifact), entry.repository, key),
            tag: cosignSignatureTag(entry.digest),
          };
    const pushed = await pushArtifact(this.#pusher, entry.repository, signature.artifact, signature.tag);
    this.#addTag(entry.repository, signature.tag);
    const record = {
      repository: entry.repository,
      tag: signature.tag,
      digest: pushed.digest,
      subject: entry.digest,
      verifiable: key !== null,
    };
    this.#cosignSignatures.push(record);
    return record;
  }

  /** Everything recorded so far. */
  info(): SampleSetInfo {
    const repositories = [...this.#tags.keys()].sort();
    return {
      artifacts: [...this.#artifacts],
      referrers: [...this.#referrers],
      cosignSignatures: [...this.#cosignSignatures],
      repositories,
      tags: Object.fromEntries(repositories.map((name) => [name, [...(this.#tags.get(name) ?? [])].sort()])),
    };
  }

  #addTag(repository: string, tag: string): void {
    const tags = this.#tags.get(repository) ?? new Set<string>();
    tags.add(tag);
    this.#tags.set(repository, tags);
  }
}
