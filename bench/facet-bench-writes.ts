/**
 * The write cost of facet counts (facet-bench.ts): the same documents written through the store
 * into two fresh indexes of one backend, one counting `paths` and one as before the counts
 * (the triggers on doc_values, schema v7 and v8, dropped), in alternating batches so a busy machine slows
 * both alike: written, rewritten (every value row deleted and inserted again), deleted. Per
 * document: this process's CPU time and wall time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactDocument } from '../src/domain/document.js';
import { QueryEngine } from '../src/query/index.js';
import { type IndexStore, openIndex } from '../src/store/index.js';
import { benchDocument, seeded } from './query-bench-documents.js';

const BATCH = 100;
const WARM_UP = 200;

interface Cost {
  cpu: number;
  wall: number;
}

export interface WriteCost {
  backend: string;
  steps: Array<{ name: string; before: Cost; counted: Cost }>;
}

interface Target {
  store: IndexStore;
  cost: Cost;
  remove(): void;
}

/** A fresh index next to `bench`: a temp SQLite file, or a new database on the same PostgreSQL server. */
function freshIndex(bench: IndexStore, name: string): Target {
  if (bench.db.dialect === 'postgres') {
    const database = `facet_writes_${name}_${process.pid}`;
    bench.db.exec(`CREATE DATABASE ${database}`);
    const url = new URL(bench.db.location);
    url.pathname = `/${database}`;
    const store = openIndex(url.toString());
    const remove = () => bench.db.exec(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    return { store, cost: { cpu: 0, wall: 0 }, remove };
  }
  const directory = mkdtempSync(join(tmpdir(), 'ocidex-facet-writes-'));
  const store = openIndex(join(directory, 'index.db'));
  return { store, cost: { cpu: 0, wall: 0 }, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

function measure(target: Target, work: (store: IndexStore) => void): void {
  const [cpu, started] = [process.cpuUsage(), performance.now()];
  work(target.store);
  const used = process.cpuUsage(cpu);
  target.cost.cpu += used.user + used.system;
  target.cost.wall += (performance.now() - started) * 1000;
}

/** Runs `work` on both targets batch by batch, alternating; returns the cost per document. */
function step(
  name: string,
  targets: [Target, Target],
  documents: readonly ArtifactDocument[],
  work: (store: IndexStore, batch: readonly ArtifactDocument[]) => void,
) {
  for (const target of targets) target.cost = { cpu: 0, wall: 0 };
  for (let index = 0; index < documents.length; index += BATCH) {
    const batch = documents.slice(index, index + BATCH);
    for (const target of index % (2 * BATCH) === 0 ? targets : [...targets].reverse())
      measure(target, (store) => work(store, batch));
  }
  const perDocument = (cost: Cost) => ({ cpu: cost.cpu / documents.length, wall: cost.wall / documents.length });
  return { name, before: perDocument(targets[0].cost), counted: perDocument(targets[1].cost) };
}

export function measureWrites(backend: string, bench: IndexStore, count: number, paths: readonly string[]): WriteCost {
  const random = seeded(7);
  const all = Array.from({ length: WARM_UP + count }, (_, index) => benchDocument(random, index, 100));
  const [warm, documents] = [all.slice(0, WARM_UP), all.slice(WARM_UP)];
  const targets: [Target, Target] = [freshIndex(bench, 'before'), freshIndex(bench, 'counted')];
  try {
    for (const target of targets) target.store.putDocuments(warm);
    for (const trigger of ['doc_values_count_insert', 'doc_values_count_delete'])
      targets[0].store.db.exec(`DROP TRIGGER ${trigger}${bench.db.dialect === 'postgres' ? ' ON doc_values' : ''}`);
    new QueryEngine(targets[1].store.db).facets(paths);
    const rewritten = documents.map((document) => ({ ...document, crawledAt: '2025-06-01T00:00:00.000Z' }));
    const steps = [
      step('write', targets, documents, (store, batch) => store.putDocuments(batch)),
      step('rewrite', targets, rewritten, (store, batch) => store.putDocuments(batch)),
      step('delete', targets, documents, (store, batch) => {
        for (const document of batch) store.deleteDocument(document.registry, document.repository, document.digest);
      }),
    ];
    return { backend, steps };
  } finally {
    for (const target of targets) {
      target.store.close();
      target.remove();
    }
  }
}
