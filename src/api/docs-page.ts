/**
 * The `/docs` page: a small self-contained reference that renders `/openapi.json` in the
 * browser. Written here rather than taken from swagger-ui-dist because that package installs a
 * telemetry dependency (@scarf/scarf) and ships megabytes of bundles that name external hosts;
 * this page is three strings, loads nothing from elsewhere (its CSP says so) and builds the DOM
 * with `textContent` only, so nothing in the document can inject markup.
 */

/** `default-src 'self'`: the page can load only from the API itself. */
export const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ocidex API</title>
<link rel="stylesheet" href="docs/docs.css">
<script src="docs/docs.js" defer></script>
</head>
<body>
<header><h1 id="title">ocidex API</h1><p id="summary">Loading <a href="openapi.json">openapi.json</a>…</p></header>
<nav id="toc"></nav>
<main id="operations"></main>
<section id="schemas"></section>
</body>
</html>
`;

export const DOCS_CSS = `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 2rem;color:#1d232a}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ccd;margin-top:2rem}
.op{border:1px solid #dde;border-radius:6px;margin:.8rem 0;padding:.6rem 1rem}
.method{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}
.get{color:#1565c0}.post{color:#2e7d32}.patch{color:#ef6c00}.delete{color:#c62828}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f5f6f8;padding:.6rem;overflow:auto}
table{border-collapse:collapse}td,th{border:1px solid #dde;padding:.2rem .5rem;text-align:left;vertical-align:top}
nav a{margin-right:1rem}.muted{color:#667}
`;

export const DOCS_JS = `'use strict';
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}
function refName(schema) {
  return schema && schema.$ref ? schema.$ref.split('/').pop() : null;
}
function schemaNode(schema) {
  const name = refName(schema);
  if (name) { const link = el('a', name); link.href = '#schema-' + name; return link; }
  return el('pre', JSON.stringify(schema, null, 2));
}
function parametersNode(parameters) {
  const table = el('table');
  const head = el('tr');
  for (const title of ['name', 'in', 'required', 'type', 'description']) head.append(el('th', title));
  table.append(head);
  for (const p of parameters) {
    const row = el('tr');
    const type = p.schema ? (refName(p.schema) || p.schema.type || (p.schema.enum || []).join(' | ')) : '';
    const description = p.description || (p.schema && p.schema.description) || '';
    for (const value of [p.name, p.in, p.required ? 'yes' : 'no', type, description]) row.append(el('td', value));
    table.append(row);
  }
  return table;
}
function operationNode(path, method, op) {
  const box = el('div', null, 'op');
  box.id = (op.operationId || method + path).replace(/[^A-Za-z0-9_-]/g, '_');
  const title = el('div');
  title.append(el('span', method, 'method ' + method), el('code', path), el('span', ' — ' + (op.summary || ''), 'muted'));
  box.append(title);
  if (op.description) box.append(el('p', op.description));
  if (op.security) {
    const schemes = op.security.map((requirement) => Object.keys(requirement).join(' + ') || 'none');
    box.append(el('p', 'Auth: ' + schemes.join(' or '), 'muted'));
  }
  if (op.parameters && op.parameters.length) { box.append(el('h4', 'Parameters'), parametersNode(op.parameters)); }
  if (op.requestBody) {
    box.append(el('h4', 'Body'));
    for (const [type, content] of Object.entries(op.requestBody.content || {})) {
      box.append(el('div', type, 'muted'), schemaNode(content.schema));
    }
  }
  box.append(el('h4', 'Responses'));
  for (const [status, response] of Object.entries(op.responses || {})) {
    const line = el('div');
    line.append(el('code', status), el('span', ' ' + (response.description || '') + ' '));
    for (const content of Object.values(response.content || {})) line.append(schemaNode(content.schema));
    box.append(line);
  }
  return box;
}
async function main() {
  const response = await fetch('openapi.json');
  const spec = await response.json();
  document.getElementById('title').textContent = spec.info.title + ' ' + spec.info.version;
  document.getElementById('summary').textContent = spec.info.description || '';
  const groups = new Map();
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || 'other';
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag).push(operationNode(path, method, op));
    }
  }
  const main = document.getElementById('operations');
  const toc = document.getElementById('toc');
  for (const [tag, nodes] of groups) {
    const heading = el('h2', tag);
    heading.id = 'tag-' + tag;
    const link = el('a', tag);
    link.href = '#tag-' + tag;
    toc.append(link);
    main.append(heading, ...nodes);
  }
  const schemas = document.getElementById('schemas');
  schemas.append(el('h2', 'Schemas'));
  for (const [name, schema] of Object.entries((spec.components && spec.components.schemas) || {})) {
    const heading = el('h3', name);
    heading.id = 'schema-' + name;
    schemas.append(heading, el('pre', JSON.stringify(schema, null, 2)));
  }
}
main().catch((error) => { document.getElementById('summary').textContent = 'Could not load openapi.json: ' + error; });
`;
