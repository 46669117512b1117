/**
 * One listed referrer to its summary: from the index when it was classified before (a manifest
 * is content-addressed: fetched once, never again), from the listing when that settles a kind
 * that needs no material, else from its manifest, and for signatures with the envelopes that
 * verification needs (bundle, JWS, simple-signing payloads), each capped in size.
 */
import { bundleFacts, isSigstoreBundle, listingSettles, parseManifest, summarizeReferrer } from '../decode/index.js';
import type { ReferrerSummary } from '../domain/document.js';
import { isIndex, type Descriptor, type ImageManifest } from '../domain/oci.js';
import type { SignatureEnvelope, SignatureMaterial } from '../domain/trust.js';
import type { FetchContext } from './context.js';

/** Envelopes larger than this are not stored (their signature then fails as `oversized`). */
export const MAX_ENVELOPE_BYTES = 256 * 1024;
/** Signature layers read per referrer at most. */
export const MAX_ENVELOPES = 8;

export interface ReferrerTarget {
  registry: string;
  repository: string;
  subject: string;
}

/**
 * The summary of one listed referrer (`material` set when this call fetched its manifest).
 * `tagged` is for cosign's tag-based `.sig`, whose kind the tag says and whose listing is empty.
 */
export async function fetchReferrer(
  context: FetchContext,
  target: ReferrerTarget,
  descriptor: Descriptor,
  tagged = false,
): Promise<ReferrerSummary> {
  const known = context.index.knownReferrer(target.registry, target.repository, descriptor.digest);
  if (known !== null) return { ...known, referrers: [] };
  const listed = summarizeReferrer(descriptor);
  if (!tagged && listingSettles(descriptor) && listed.kind !== 'signature') return listed;
  const fetched = await context.client.fetchManifest(target.repository, descriptor.digest, context.signal);
  const manifest = parseManifest(fetched.bytes, fetched.mediaType);
  if (isIndex(manifest)) return { ...summarizeReferrer(descriptor, manifest), material: null };
  const envelopes = await readEnvelopes(context, target, manifest, summarizeReferrer(descriptor, manifest));
  const bundle = envelopes.find((envelope) => isSigstoreBundle(envelope.mediaType));
  const facts = bundle?.data ? bundleFacts(parseJson(bundle.data)) : null;
  const summary = summarizeReferrer(descriptor, manifest, facts?.predicateType ?? null);
  if (facts?.content === 'message-signature' && summary.kind === 'artifact') summary.kind = 'signature';
  if (tagged) summary.mediaType = fetched.mediaType;
  if (summary.kind !== 'signature') return { ...summary, material: null };
  const material: SignatureMaterial = { subject: subjectOf(manifest), envelopes };
  if (facts?.content === 'message-signature') material.subjectManifest = await subjectBytes(context, target);
  return { ...summary, material };
}

/** The signature layers: all of a signature's, or a bundle whose kind the listing left open. */
async function readEnvelopes(
  context: FetchContext,
  target: ReferrerTarget,
  manifest: ImageManifest,
  summary: ReferrerSummary,
): Promise<SignatureEnvelope[]> {
  const layers = Array.isArray(manifest.layers) ? manifest.layers : [];
  const wanted =
    summary.kind === 'signature'
      ? layers
      : layers.filter((layer) => summary.kind === 'artifact' && isSigstoreBundle(layer.mediaType ?? null));
  const envelopes: SignatureEnvelope[] = [];
  for (const layer of wanted.slice(0, MAX_ENVELOPES)) envelopes.push(await readEnvelope(context, target, layer));
  return envelopes;
}

async function readEnvelope(
  context: FetchContext,
  target: ReferrerTarget,
  layer: Descriptor,
): Promise<SignatureEnvelope> {
  const annotations = Object.fromEntries(
    Object.entries(layer.annotations ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  const base = { mediaType: String(layer.mediaType), digest: String(layer.digest), annotations };
  if (typeof layer.size !== 'number' || layer.size > MAX_ENVELOPE_BYTES) return { ...base, data: null };
  const bytes = await context.client.fetchBlob(target.repository, layer, { signal: context.signal });
  return { ...base, data: Buffer.from(bytes).toString('base64') };
}

function subjectOf(manifest: ImageManifest): SignatureMaterial['subject'] {
  const subject = manifest.subject;
  if (typeof subject?.digest !== 'string') return null;
  return {
    digest: subject.digest,
    mediaType: typeof subject.mediaType === 'string' ? subject.mediaType : null,
    size: typeof subject.size === 'number' ? subject.size : null,
  };
}

/** The signed subject manifest of a message-signature bundle (its message), base64. */
async function subjectBytes(context: FetchContext, target: ReferrerTarget): Promise<string> {
  const fetched = await context.client.fetchManifest(target.repository, target.subject, context.signal);
  return Buffer.from(fetched.bytes).toString('base64');
}

function parseJson(base64: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    return null;
  }
}
