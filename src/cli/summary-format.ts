/** The crawl summary as text for people. */
import { requestsPerManifest, type CrawlErrorRecord, type CrawlSummary } from '../domain/crawl.js';

const byCount = (entries: Record<string, number | undefined>): string =>
  Object.entries(entries)
    .filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');

/** A closing summary: repositories, manifests new/unchanged/removed, referrers, errors, requests, time. */
export function formatSummary(summary: CrawlSummary, errors: CrawlErrorRecord[] = []): string {
  const { counts } = summary;
  const seconds = (summary.durationMs / 1000).toFixed(2);
  const rate = summary.durationMs > 0 ? (counts.manifestsNew / (summary.durationMs / 1000)).toFixed(1) : '0';
  const perManifest = requestsPerManifest(summary);
  const lines = [
    `Crawl of ${summary.registry} ${summary.status} in ${seconds} s`,
    `  repositories  ${counts.repositories} (${counts.repositoriesUnchanged} unchanged)`,
    `  manifests     ${counts.manifestsNew} new, ${counts.manifestsUnchanged} unchanged, ${counts.manifestsRemoved} removed (${rate}/s new)`,
    `  tags          ${counts.tagsAdded} added, ${counts.tagsMoved} moved, ${counts.tagsRemoved} removed`,
    `  referrers     ${counts.referrers}`,
    `  errors        ${counts.errors}${counts.errors > 0 ? ` (${byCount(summary.errorsByCode)})` : ''}`,
    `  requests      ${summary.requests.total}${summary.requests.total > 0 ? ` (${byCount(summary.requests.byOperation)})` : ''}` +
      (perManifest > 0 ? `, ${perManifest.toFixed(2)} per manifest` : ''),
  ];
  if (summary.fatal) lines.push(`  failed: ${summary.fatal.code}: ${summary.fatal.message}`);
  for (const error of errors) {
    // The fatal error is stored too (as an error of no repository): it was said once above.
    const ofNoItem = error.repository === null && error.reference === null;
    if (summary.fatal !== null && ofNoItem && error.code === summary.fatal.code) continue;
    // A full reference already names the repository.
    const where = error.reference?.includes('/')
      ? error.reference
      : [error.repository, error.reference].filter(Boolean).join(' ');
    lines.push(`  ! ${error.code}${where ? ` ${where}` : ''}: ${error.message}`);
  }
  return lines.join('\n');
}
