/**
 * Lineage both ways: what a document derives from (its `subject`, its `model.base`) and what
 * derives from it (documents whose `subject` is its digest or whose `model.base` names it).
 */
import type { Doc } from './api.js';
import { useDocuments } from './model-page.js';
import { modelHref } from './router.js';

/** A string literal of RFC 9535 JSONPath. */
function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The names a `model.base` may give this document by. */
function namesOf(doc: Doc): string[] {
  const base = `${doc.registry}/${doc.repository}`;
  return [`${base}@${doc.digest}`, ...doc.tags.map((tag) => `${base}:${tag}`)];
}

export function Lineage({ doc }: { doc: Doc }) {
  const subject = useDocuments(doc.subject === null ? null : `$[?@.digest == ${literal(doc.subject)}]`);
  const bases = namesOf(doc).map((name) => `@.model.base == ${literal(name)}`);
  const derived = useDocuments(`$[?@.subject == ${literal(doc.digest)} || ${bases.join(' || ')}]`);
  const attached = new Set(doc.referrers.map((referrer) => referrer.digest));
  const derivatives = (derived.data?.items ?? []).filter((item) => !attached.has(item.digest));
  return (
    <div class="lineage">
      <h3>Derives from</h3>
      <ul>
        {(subject.data?.items ?? []).map((item) => (
          <li key={item.reference}>
            subject: <DocLink doc={item} />
          </li>
        ))}
        {doc.subject !== null && subject.data?.items.length === 0 ? (
          <li>
            subject: <span class="mono">{doc.subject}</span> (not indexed)
          </li>
        ) : null}
        {doc.model?.base ? (
          <li>
            base model: <a href={modelHref(doc.model.base)}>{doc.model.base}</a>
          </li>
        ) : null}
        {doc.subject === null && !doc.model?.base ? <li class="muted">Nothing recorded.</li> : null}
      </ul>
      <h3>Derived from it</h3>
      <ul>
        {derivatives.map((item) => (
          <li key={item.reference}>
            <DocLink doc={item} />
          </li>
        ))}
        {derivatives.length === 0 ? <li class="muted">Nothing indexed.</li> : null}
      </ul>
    </div>
  );
}

function DocLink({ doc }: { doc: Doc }) {
  const tag = doc.tags[0] !== undefined ? `:${doc.tags[0]}` : '';
  return (
    <a href={modelHref(doc.reference)}>
      {doc.repository}
      {tag}
    </a>
  );
}
