/**
 * References (`host[:port]/a/b[:tag][@digest]`) and the name checks every URL path relies on
 * (distribution `reference` grammar): a repository or tag that does not match is refused before
 * it can reach a URL.
 */
import { OcidexError } from '../domain/errors.js';
import { parseDigest } from './digest.js';
import { canonicalRegistry, REGISTRY_HOST_PATTERN, shown } from './scheme.js';

/** A parsed `host[:port]/repository[:tag][@digest]`. */
export interface ParsedReference {
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY_PATTERN = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG_PATTERN = /^[\w][\w.-]{0,127}$/;
const MAX_REPOSITORY_LENGTH = 255;

function invalid(text: string, why: string): OcidexError {
  return new OcidexError('invalid_reference', `invalid reference "${shown(text)}": ${why}`);
}

/** Whether `name` is a valid repository name. */
export function isRepositoryName(name: string): boolean {
  return name.length <= MAX_REPOSITORY_LENGTH && REPOSITORY_PATTERN.test(name);
}

/** Whether `tag` is a valid tag. */
export function isTag(tag: string): boolean {
  return TAG_PATTERN.test(tag);
}

/** Throws `invalid_reference` unless `name` is a valid repository name. */
export function assertRepository(name: string): void {
  if (!isRepositoryName(name)) throw invalid(name, 'not a repository name');
}

/** Throws `invalid_reference` unless `reference` is a tag or a digest. */
export function assertTagOrDigest(reference: string): void {
  if (!isTag(reference) && parseDigest(reference) === null) throw invalid(reference, 'neither a tag nor a digest');
}

/** Parses `host[:port]/a/b[:tag][@digest]`; the registry host is required. */
export function parseReference(text: string): ParsedReference {
  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : null;
  const named = at >= 0 ? text.slice(0, at) : text;
  if (digest !== null && parseDigest(digest) === null) throw invalid(text, 'invalid digest');
  const slash = named.indexOf('/');
  if (slash <= 0) throw invalid(text, 'a registry host is required (e.g. docker.io/library/name)');
  const domain = named.slice(0, slash);
  const looksLikeHost = domain.includes('.') || domain.includes(':') || domain === 'localhost';
  if (!looksLikeHost || !REGISTRY_HOST_PATTERN.test(domain)) throw invalid(text, 'a registry host is required');
  let path = named.slice(slash + 1);
  let tag: string | null = null;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!isTag(tag)) throw invalid(text, 'invalid tag');
  }
  if (!isRepositoryName(path)) throw invalid(text, 'invalid repository name');
  return { registry: canonicalRegistry(domain), repository: path, tag, digest };
}
