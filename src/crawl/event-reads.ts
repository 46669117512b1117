/**
 * The two ways an event's reads are answered (event-referrers.ts `EventReads`): from the index,
 * where it is at hand (embedded mode: events are applied one at a time per registry, so what it
 * says is current), or from the registry alone (a queue fetch worker, which has no index: the
 * index writer applies what the worker read, in arrival order).
 */
import { parseManifest } from '../decode/index.js';
import { documentReference } from '../domain/document.js';
import { isOcidexError } from '../domain/errors.js';
import { referrersTag } from '../registry/index.js';
import type { IndexStore } from '../store/index.js';
import type { RegistryReader } from './context.js';
import type { EventReads } from './event-referrers.js';

/** cosign's tag-based attachments of a subject: `sha256-<hex>.<suffix>`. */
const COSIGN_SUFFIXES = ['sig', 'att', 'sbom'] as const;

/** Reads answered by the index: its tags, its referrer edges, its documents. */
export function indexEventReads(
  index: Pick<IndexStore, 'getRepositoryState' | 'hasDocument' | 'subjectsOf' | 'getDocument'>,
  registry: string,
): EventReads {
  return {
    attachmentTags: async (repository) => new Map(index.getRepositoryState(registry, repository).tags),
    parentsOf: async (repository, digest) =>
      index.hasDocument(registry, repository, digest) ? [] : index.subjectsOf(registry, repository, digest),
    storedSubject: (repository, digest) => {
      const stored = index.getDocument(documentReference(registry, repository, digest));
      return stored === null ? undefined : stored.subject;
    },
  };
}

/**
 * Reads answered by the registry: a subject's cosign tags by HEAD, a referrer's subject from its
 * manifest (OCI 1.1 `subject`). `documents`: digests the event fetched as documents (no parent).
 */
export function registryEventReads(
  client: RegistryReader,
  documents: ReadonlySet<string>,
  signal?: AbortSignal,
): EventReads {
  return {
    attachmentTags: async (repository, subject) => {
      const tags = new Map<string, string>();
      for (const suffix of COSIGN_SUFFIXES) {
        const tag = `${referrersTag(subject)}.${suffix}`;
        const resolved = await client.resolveManifest(repository, tag, signal);
        if (resolved !== null) tags.set(tag, resolved.digest);
      }
      return tags;
    },
    parentsOf: async (repository, digest) => {
      if (documents.has(digest)) return [];
      try {
        const fetched = await client.fetchManifest(repository, digest, signal);
        const subject = parseManifest(fetched.bytes, fetched.mediaType).subject?.digest;
        return subject === undefined ? [] : [subject];
      } catch (error) {
        if (isOcidexError(error, 'not_found') || isOcidexError(error, 'manifest_unknown')) return [];
        throw error;
      }
    },
    storedSubject: () => undefined,
  };
}
