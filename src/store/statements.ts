/** The index's statements, prepared once per connection (see sql.ts for the text). */
import { PG_OVERRIDES } from './pg/pg-sql.js';
import * as sql from './sql.js';
import type { SqlDatabase, SqlStatement } from './sql-port.js';

type Id = { id: number };

export interface RepositoryDocumentRow {
  id: number;
  digest: string;
  parent: string | null;
  /** `$.tags` of the stored json, as JSON text. */
  tags: string;
  /** Digests of `$.manifests`, as a JSON array text. */
  children: string;
}

export interface RunRow {
  id: number;
  registry: string;
  status: string;
  params: string;
  startedAt: string;
  finishedAt: string | null;
  summary: string | null;
  /** JSON CrawlCounts reported while running, else null. */
  progress: string | null;
  progressAt: string | null;
  /** JSON RunOwner of the process working on the run (schema v3), else null. */
  owner: string | null;
  heartbeatAt: string | null;
}

export interface RegistryConfigRow {
  id: string;
  json: string;
  source: 'file' | 'api';
  updatedAt: string;
}

export interface ErrorRow {
  registry: string;
  repository: string | null;
  reference: string | null;
  code: string;
  message: string;
  at: string;
}

type ErrorFilter = { runId?: number; registry: string | null; limit: number };

/**
 * `INSERT INTO doc_values` of any number of rows below DOCUMENT_VALUES_CHUNK, one statement per
 * count, prepared when first used: a document's last rows go in one statement, not one each
 * (on PostgreSQL a round trip and a run of the facet counts' trigger per statement).
 */
function valueRowsInserts(db: SqlDatabase, single: string): (rows: number) => SqlStatement<unknown[]> {
  const [head, row] = single.split(' VALUES ') as [string, string];
  const prepared = new Map<number, SqlStatement<unknown[]>>();
  return (rows) => {
    let statement = prepared.get(rows);
    if (statement === undefined) {
      statement = db.prepare<unknown[]>(`${head} VALUES ${Array(rows).fill(row).join(', ')}`);
      prepared.set(rows, statement);
    }
    return statement;
  };
}

/** Prepares every statement of the index on `db`, in its dialect. */
export function prepareStatements(db: SqlDatabase) {
  const text = db.dialect === 'postgres' ? { ...sql, ...PG_OVERRIDES } : sql;
  return {
    selectRegistry: db.prepare<[string], Id & { referrersApi: number | null }>(text.SELECT_REGISTRY),
    insertRegistry: db.prepare<[string, string], Id>(text.INSERT_REGISTRY),
    updateReferrersApi: db.prepare<[number, number]>(text.UPDATE_REFERRERS_API),
    selectRepository: db.prepare<[string, string], Id & { fingerprint: string | null }>(text.SELECT_REPOSITORY),
    insertRepository: db.prepare<[number, string], Id>(text.INSERT_REPOSITORY),
    listRepositories: db.prepare<[string], string>(text.LIST_REPOSITORIES).pluck(),
    updateFingerprint: db.prepare<[string, string, number]>(text.UPDATE_FINGERPRINT),
    clearFingerprint: db.prepare<[number]>(text.CLEAR_FINGERPRINT),

    selectTags: db.prepare<[number], { name: string; digest: string }>(text.SELECT_TAGS),
    selectTagNamesOfDigest: db.prepare<[number, string], string>(text.SELECT_TAG_NAMES_OF_DIGEST).pluck(),
    selectTag: db.prepare<[number, string], string>(text.SELECT_TAG).pluck(),
    upsertTag: db.prepare<[number, string, string, string]>(text.UPSERT_TAG),
    deleteTag: db.prepare<[number, string]>(text.DELETE_TAG),
    insertTagEvent: db.prepare<[number, string, string | null, string | null, number | null, string]>(
      text.INSERT_TAG_EVENT,
    ),
    selectTagEvents: db.prepare<
      [number],
      { tag: string; oldDigest: string | null; newDigest: string | null; at: string }
    >(text.SELECT_TAG_EVENTS),

    selectDocumentRow: db.prepare<[number, string], Id & { json: string }>(text.SELECT_DOCUMENT_ROW),
    selectRepositoryDocuments: db.prepare<[number], RepositoryDocumentRow>(text.SELECT_REPOSITORY_DOCUMENTS),
    upsertDocument: db.prepare<[Record<string, string | number | null>], Id>(text.UPSERT_DOCUMENT),
    deleteDocument: db.prepare<[number]>(text.DELETE_DOCUMENT),
    deleteDocumentValues: db.prepare<[number]>(text.DELETE_DOCUMENT_VALUES),
    insertDocumentValuesChunk: db.prepare<unknown[]>(text.INSERT_DOCUMENT_VALUES_CHUNK),
    insertDocumentValuesArrays:
      text.INSERT_DOCUMENT_VALUES_ARRAYS === '' ? null : db.prepare<unknown[]>(text.INSERT_DOCUMENT_VALUES_ARRAYS),
    insertDocumentValues: valueRowsInserts(db, text.INSERT_DOCUMENT_VALUE),
    selectPath: db.prepare<[string], number>(text.SELECT_PATH).pluck(),
    insertPath: db.prepare<[string], number>(text.INSERT_PATH).pluck(),

    selectEdgesOfSubject: db.prepare<[number, string], { digest: string; json: string }>(text.SELECT_EDGES_OF_SUBJECT),
    selectEdgesOfRepository: db.prepare<[number], { subject: string; digest: string; json: string }>(
      text.SELECT_EDGES_OF_REPOSITORY,
    ),
    selectSubjectsOfReferrer: db.prepare<[number, string], string>(text.SELECT_SUBJECTS_OF_REFERRER).pluck(),
    upsertEdge: db.prepare<[number, string, string, string | null, string, string]>(text.UPSERT_EDGE),
    deleteEdge: db.prepare<[number, string, string]>(text.DELETE_EDGE),
    deleteEdgesOfSubject: db.prepare<[number, string]>(text.DELETE_EDGES_OF_SUBJECT),

    selectReferrerRecord: db.prepare<[number, string], { summary: string; material: string | null }>(
      text.SELECT_REFERRER_RECORD,
    ),
    selectReferrerSummaries: db.prepare<[number], { digest: string; summary: string }>(text.SELECT_REFERRER_SUMMARIES),
    upsertReferrerRecord: db.prepare<[number, string, string, string | null]>(text.UPSERT_REFERRER_RECORD),
    selectSubjectsWithEdges: db.prepare<[], { registry: string; repository: string; subject: string }>(
      text.SELECT_SUBJECTS_WITH_EDGES,
    ),
    countVerifiedDocuments: db.prepare<[], number>(text.COUNT_VERIFIED_DOCUMENTS).pluck(),
    selectTrust: db.prepare<[], { hash: string; json: string }>(text.SELECT_TRUST),
    selectTrustHash: db.prepare<[], string>(text.SELECT_TRUST_HASH).pluck(),
    upsertTrust: db.prepare<[string, string, string]>(text.UPSERT_TRUST),

    selectDocumentByReference: db.prepare<[string], string>(text.SELECT_DOCUMENT_BY_REFERENCE).pluck(),
    selectAllDocuments: db.prepare<[], string>(text.SELECT_ALL_DOCUMENTS).pluck(),
    countDocuments: db.prepare<[], number>(text.COUNT_DOCUMENTS).pluck(),

    insertRun: db.prepare<[string, string, string], Id>(text.INSERT_RUN),
    finishRun: db.prepare<[string, string, string, number]>(text.FINISH_RUN),
    updateRunProgress: db.prepare<[string, string, number]>(text.UPDATE_RUN_PROGRESS),
    selectRunProgressForUpdate: db.prepare<[number], { progress: string | null }>(text.SELECT_RUN_PROGRESS_FOR_UPDATE),
    claimRun: db.prepare<[string, string, number]>(text.CLAIM_RUN),
    heartbeatRuns: db.prepare<[string, string]>(text.HEARTBEAT_RUNS),
    selectRun: db.prepare<[number], RunRow>(text.SELECT_RUN),
    selectRunningRunsOfRegistry: db.prepare<[string], RunRow>(text.SELECT_RUNNING_RUNS_OF_REGISTRY),
    lockRunStart: db.prepare<[number, number]>(text.LOCK_RUN_START),
    listRuns: db.prepare<[number], RunRow>(text.LIST_RUNS),
    listRunsOfRegistry: db.prepare<[string, number], RunRow>(text.LIST_RUNS_OF_REGISTRY),
    insertError: db.prepare<[number | null, string, string | null, string | null, string, string, string]>(
      text.INSERT_ERROR,
    ),
    listErrorsOfRun: db.prepare<[ErrorFilter], ErrorRow>(text.LIST_ERRORS_OF_RUN),
    countErrorsOfRun: db.prepare<[number], { code: string; count: number }>(text.COUNT_ERRORS_OF_RUN),
    listErrors: db.prepare<[ErrorFilter], ErrorRow>(text.LIST_ERRORS),

    listRegistryConfigs: db.prepare<[], RegistryConfigRow>(text.LIST_REGISTRY_CONFIGS),
    selectRegistryConfig: db.prepare<[string], RegistryConfigRow>(text.SELECT_REGISTRY_CONFIG),
    insertRegistryConfig: db.prepare<[string, string, string, string]>(text.INSERT_REGISTRY_CONFIG),
    upsertRegistryConfig: db.prepare<[string, string, string, string]>(text.UPSERT_REGISTRY_CONFIG),
    deleteRegistryConfig: db.prepare<[string]>(text.DELETE_REGISTRY_CONFIG),
  };
}

/** The prepared statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>;
