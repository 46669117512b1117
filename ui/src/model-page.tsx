/** A model's page: reference and pull commands, metadata, layers, referrers, lineage, tag history, raw JSON. */
import { type Doc, type Page, queryString } from './api.js';
import { CopyCommand } from './copy-command.js';
import { formatBytes, formatTime, formatValue, shortDigest } from './format.js';
import { Lineage } from './lineage.js';
import { ReferrerTree } from './referrer-tree.js';
import { displayName } from './result-list.js';
import { useApi } from './use-api.js';

interface Artifact {
  document: Doc;
  history: Array<{ tag: string; oldDigest: string | null; newDigest: string | null; at: string }>;
}

export function ModelPage({ reference }: { reference: string }) {
  const artifact = useApi<Artifact>(`/v1/artifacts/${encodeURIComponent(reference)}`);
  if (artifact.error !== null)
    return (
      <p role="alert" class="error">
        {artifact.error.message}
      </p>
    );
  if (artifact.data === null) return <p aria-live="polite">Loading…</p>;
  const { document: doc, history } = artifact.data;
  return (
    <article class="model">
      <h1>
        {displayName(doc)} {doc.model?.version ? <span class="muted">{doc.model.version}</span> : null}
      </h1>
      <p class="reference">{doc.reference}</p>
      <PullCommands doc={doc} />
      <div class="grid">
        <section aria-labelledby="metadata">
          <h2 id="metadata">Metadata</h2>
          <Metadata doc={doc} />
        </section>
        <section aria-labelledby="lineage">
          <h2 id="lineage">Lineage</h2>
          <Lineage doc={doc} />
        </section>
      </div>
      <section aria-labelledby="referrers">
        <h2 id="referrers">Signatures, SBOMs, attestations</h2>
        <ReferrerTree referrers={doc.referrers} />
      </section>
      <section aria-labelledby="layers">
        <h2 id="layers">Layers</h2>
        <Layers doc={doc} />
      </section>
      <section aria-labelledby="history">
        <h2 id="history">Tag history</h2>
        <History history={history} digest={doc.digest} />
      </section>
      <details class="raw">
        <summary>Raw document</summary>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe scrollable-region-focusable) */}
        <pre tabIndex={0}>{JSON.stringify(doc, null, 2)}</pre>
      </details>
    </article>
  );
}

/** The reference a person pulls: the first tag, else the digest. */
function pullReference(doc: Doc): string {
  const base = `${doc.registry}/${doc.repository}`;
  return doc.tags[0] !== undefined ? `${base}:${doc.tags[0]}` : `${base}@${doc.digest}`;
}

function PullCommands({ doc }: { doc: Doc }) {
  const reference = pullReference(doc);
  const volume = [
    'volumes:',
    '  - name: model',
    '    image:',
    `      reference: ${reference}`,
    '      pullPolicy: IfNotPresent',
  ].join('\n');
  return (
    <div class="commands">
      <CopyCommand label="Reference" text={reference} />
      <CopyCommand label="oras" text={`oras pull ${reference}`} />
      {doc.format === 'docker-model' ? <CopyCommand label="Docker" text={`docker model pull ${reference}`} /> : null}
      {doc.format === 'ollama' ? <CopyCommand label="Ollama" text={`ollama pull ${reference}`} /> : null}
      {doc.mount?.imageVolume ? <CopyCommand label="Kubernetes image volume" text={volume} /> : null}
    </div>
  );
}

function Metadata({ doc }: { doc: Doc }) {
  const model = doc.model;
  const rows: Array<[string, unknown]> = [
    ['Kind', doc.kind],
    ['Format', doc.format],
    ['License', model?.license],
    ['Model format', model?.format],
    ['Framework', model?.framework],
    ['Family', model?.family],
    ['Parameters', model?.paramSize],
    ['Quantization', model?.quantization],
    ['Signed', doc.signed],
    ['Verified', doc.verified],
    ['Signers', doc.signers.join(', ') || null],
    ['Image volume', doc.mount?.imageVolume],
    ['Artifact volume', doc.mount?.artifactVolume],
    ['Size', formatBytes(doc.size)],
    ['Updated', formatTime(doc.crawledAt)],
  ];
  const metrics = Object.entries(model?.metrics ?? {});
  return (
    <>
      {model?.description ? <p>{model.description}</p> : null}
      <dl class="facts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{formatValue(value)}</dd>
          </div>
        ))}
        {metrics.map(([name, value]) => (
          <div key={name}>
            <dt>Metric: {name}</dt>
            <dd>{formatValue(value)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

function Layers({ doc }: { doc: Doc }) {
  if (doc.layers.length === 0) return <p class="muted">No layers.</p>;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the table scrolls sideways on a phone; a scrollable region must be reachable by keyboard (axe scrollable-region-focusable)
    <section class="table-wrap" tabIndex={0} aria-label="Layers">
      <table>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Media type</th>
            <th scope="col">Size</th>
            <th scope="col">Digest</th>
          </tr>
        </thead>
        <tbody>
          {doc.layers.map((layer) => (
            <tr key={layer.digest}>
              <td>{layer.title ?? '(untitled)'}</td>
              <td class="mono">{layer.mediaType}</td>
              <td>{formatBytes(layer.size)}</td>
              <td class="mono">{shortDigest(layer.digest)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function History({ history, digest }: { history: Artifact['history']; digest: string }) {
  if (history.length === 0) return <p class="muted">No tag changes recorded.</p>;
  const describe = (event: Artifact['history'][number]) => {
    if (event.oldDigest === null) return 'added here';
    if (event.newDigest === null) return 'removed';
    return event.newDigest === digest
      ? `moved here from ${shortDigest(event.oldDigest)}`
      : `moved to ${shortDigest(event.newDigest)}`;
  };
  return (
    <ul class="history">
      {history.map((event) => (
        <li key={`${event.tag}${event.at}`}>
          <strong>{event.tag}</strong> {describe(event)} · {formatTime(event.at)}
        </li>
      ))}
    </ul>
  );
}

/** Documents matching `q` (for lineage), at most 20. */
export function useDocuments(q: string | null) {
  return useApi<Page<Doc>>(q === null ? null : `/v1/models${queryString({ q, limit: '20' })}`);
}
