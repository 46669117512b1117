/** Query test helpers: real-shaped documents in a real temp index, and the documents as stored. */
import type { ArtifactDocument, JsonValue } from '../../../src/domain/document.js';
import { modelDocument as sharedModelDocument, modelInfo } from '../../support/documents.js';
import { type IndexStore, openIndex } from '../../../src/store/index.js';
import { QueryEngine } from '../../../src/query/index.js';
import { tempLocation } from '../../support/temp-index.js';

export interface QueryFixture {
  store: IndexStore;
  engine: QueryEngine;
  /** Every document as stored, ordered by reference (what queries run over). */
  documents(): JsonValue[];
  cleanup(): void;
}

/** A temp index (in the backend under test) holding `documents`. */
export function queryFixture(documents: readonly ArtifactDocument[], engineOptions = {}): QueryFixture {
  const location = tempLocation('index.db');
  const store = openIndex(location.path);
  for (let index = 0; index < documents.length; index += 500) store.putDocuments(documents.slice(index, index + 500));
  return {
    store,
    engine: new QueryEngine(store.db, engineOptions),
    documents: () => [...store.iterateDocuments()] as unknown as JsonValue[],
    cleanup: () => {
      store.close();
      location.remove();
    },
  };
}

export { digestOf } from '../../support/documents.js';

/** A model document as the query tests use it (one repository per label, tagged `latest`); anything may be overridden. */
export function modelDocument(label: string, overrides: Record<string, unknown> = {}): ArtifactDocument {
  return sharedModelDocument(label, {
    registry: 'registry.test',
    repository: `models/${label}`,
    tags: ['latest'],
    annotations: {},
    config: null,
    layers: [],
    size: 1000,
    model: modelInfo(label, { authors: ['tests'], metrics: { accuracy: 0.9 } }),
    ...overrides,
  });
}
