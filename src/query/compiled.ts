/** A query parsed once, in either dialect: what the planner and the evaluators need of it. */
import type { JsonValue } from '../domain/document.js';
import type { Bounds } from './plan/ir.js';
import type { Dialect } from './types.js';

/** One item of a whole-array evaluation, with the index of the document it lies in (-1: none). */
export interface EvaluatedItem {
  value: JsonValue;
  documentIndex: number;
}

/** A parsed query with its shape over the documents array, index bounds and evaluators. */
export interface CompiledQuery {
  readonly text: string;
  readonly dialect: Dialect;
  /** See rfc9535/shape.ts: `per-document` queries are planned over the index. */
  readonly shape: 'empty' | 'whole-array' | 'per-document';
  /** The items of a document are the document itself when it matches (`$[?...]`, `$[*]`). */
  readonly selectsDocuments: boolean;
  /** Index bounds of the document filter (per-document shape); UNKNOWN otherwise. */
  readonly bounds: Bounds;
  /** The full-text expression the documents must match (text search), ranking them when unsorted. */
  readonly textMatch?: string;
  /** The items one document contributes (per-document shape). */
  evaluateDocument(document: JsonValue): JsonValue[];
  /** Every item over the whole array, in order, lazily where the dialect allows. */
  evaluateArray(documents: readonly JsonValue[]): Iterable<EvaluatedItem>;
}
