/** Result cards: name, reference, the badges a person filters by. */
import type { Doc } from './api.js';
import { formatBytes, formatTime } from './format.js';
import { modelHref } from './router.js';

/** A document's display name: the model's name, else its repository and first tag. */
export function displayName(doc: Doc): string {
  return doc.model?.name ?? `${doc.repository}${doc.tags[0] !== undefined ? `:${doc.tags[0]}` : ''}`;
}

/** Whether a result item is a whole document (a query may select other values, like `$[*].reference`). */
function isDocument(item: unknown): item is Doc {
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof (item as Doc).reference === 'string' &&
    Array.isArray((item as Doc).tags)
  );
}

export function ResultList({ items }: { items: unknown[] }) {
  if (items.length === 0) return <p class="muted">No results.</p>;
  return (
    <ol class="result-list">
      {items.map((doc, index) =>
        !isDocument(doc) ? (
          <li key={index} class="card">
            <pre class="mono">{JSON.stringify(doc, null, 2)}</pre>
          </li>
        ) : (
          <li key={doc.reference} class="card">
            <h2>
              <a href={modelHref(doc.reference)}>{displayName(doc)}</a>
              {doc.model?.version ? <span class="muted"> {doc.model.version}</span> : null}
            </h2>
            <p class="reference">
              {doc.registry}/{doc.repository}
              {doc.tags.length > 0 ? `:${doc.tags.join(', ')}` : ''}
            </p>
            {doc.model?.description ? <p>{doc.model.description}</p> : null}
            <ul class="badges" aria-label="Properties">
              <li>{doc.kind}</li>
              <li>{doc.format}</li>
              {doc.model?.license ? <li>{doc.model.license}</li> : null}
              {doc.model?.format ? <li>{doc.model.format}</li> : null}
              {doc.model?.paramSize ? <li>{doc.model.paramSize}</li> : null}
              {doc.model?.quantization ? <li>{doc.model.quantization}</li> : null}
              {doc.verified ? <li class="ok">verified</li> : doc.signed ? <li class="warn">signed</li> : null}
              {doc.mount?.imageVolume ? <li>mountable</li> : null}
              <li>{formatBytes(doc.size)}</li>
            </ul>
            <p class="muted small">Updated {formatTime(doc.crawledAt)}</p>
          </li>
        ),
      )}
    </ol>
  );
}
