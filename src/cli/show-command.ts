/** `ocidex show`: one document with its referrers. */
import { openIndex } from '../store/index.js';
import { parseReference } from '../registry/index.js';

/** Prints the document as JSON; exit code 1 when it is not in the index. */
export async function runShow(reference: string, options: { db: string }): Promise<number> {
  const index = openIndex(options.db, { readonly: true });
  try {
    const parsed = parseReference(reference);
    const document = index.findDocuments(parsed.registry, parsed.repository, parsed.digest ?? parsed.tag ?? 'latest');
    if (document === null) {
      process.stderr.write(`ocidex show: ${reference} is not in the index (crawl it first)\n`);
      return 1;
    }
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return 0;
  } finally {
    index.close();
  }
}
