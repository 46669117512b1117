/*
 * ocidex_pq: synchronous libpq calls for Node-API, usable from any thread (context-aware, no
 * libuv). Each call blocks its thread for one round trip, as better-sqlite3 blocks for one
 * statement. Results come back whole, as plain JavaScript values: columns, type oids, and rows
 * of text values (null for SQL NULL); the JavaScript side converts them by type.
 */
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include <node_api.h>

#define CHECK(call)                                                            \
  do {                                                                         \
    if ((call) != napi_ok) return NULL;                                        \
  } while (0)

/* Declares argv[count] and fills it with the call's arguments (or returns NULL). */
#define ARGS(count)                                                            \
  size_t argc = (count);                                                       \
  napi_value argv[(count)];                                                    \
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL))

typedef struct {
  PGconn *conn;
} Session;

static void finalize_session(napi_env env, void *data, void *hint) {
  Session *session = data;
  if (session->conn != NULL) PQfinish(session->conn);
  free(session);
}

static PGconn *conn_of(napi_env env, napi_value value) {
  Session *session = NULL;
  if (napi_get_value_external(env, value, (void **)&session) != napi_ok || session == NULL ||
      session->conn == NULL) {
    napi_throw_error(env, NULL, "the session is closed");
    return NULL;
  }
  return session->conn;
}

/* A JavaScript string as a new C string (free it), or NULL after throwing. */
static char *string_of(napi_env env, napi_value value) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected a string");
    return NULL;
  }
  char *text = malloc(length + 1);
  if (text == NULL) return NULL;
  napi_get_value_string_utf8(env, value, text, length + 1, &length);
  return text;
}

static napi_value new_string(napi_env env, const char *text) {
  napi_value value;
  napi_create_string_utf8(env, text == NULL ? "" : text, NAPI_AUTO_LENGTH, &value);
  return value;
}

static void set(napi_env env, napi_value object, const char *key, napi_value value) {
  napi_set_named_property(env, object, key, value);
}

/* Parameters: an array of strings and nulls, as C strings (NULL for null). */
typedef struct {
  int count;
  char **values;
} Params;

static void free_params(Params *params) {
  for (int i = 0; i < params->count; i++) free(params->values[i]);
  free(params->values);
  params->values = NULL;
  params->count = 0;
}

static int read_params(napi_env env, napi_value array, Params *params) {
  uint32_t count = 0;
  params->count = 0;
  params->values = NULL;
  if (napi_get_array_length(env, array, &count) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected an array of parameters");
    return 0;
  }
  params->values = calloc(count == 0 ? 1 : count, sizeof(char *));
  if (params->values == NULL) return 0;
  params->count = (int)count;
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    napi_valuetype type;
    napi_get_element(env, array, i, &item);
    napi_typeof(env, item, &type);
    if (type == napi_null || type == napi_undefined) continue;
    params->values[i] = string_of(env, item);
    if (params->values[i] == NULL) {
      free_params(params);
      return 0;
    }
  }
  return 1;
}

/* A result as { status, columns, types, rows, tuples, sqlstate, message }. */
static napi_value result_value(napi_env env, PGresult *result) {
  napi_value object;
  napi_create_object(env, &object);
  ExecStatusType status = PQresultStatus(result);
  set(env, object, "status", new_string(env, PQresStatus(status)));
  set(env, object, "tuples", new_string(env, PQcmdTuples(result)));
  if (status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR) {
    const char *sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (sqlstate != NULL) set(env, object, "sqlstate", new_string(env, sqlstate));
    set(env, object, "message", new_string(env, PQresultErrorMessage(result)));
  }
  if (status != PGRES_TUPLES_OK) return object;
  int width = PQnfields(result);
  int count = PQntuples(result);
  napi_value columns, types, rows;
  napi_create_array_with_length(env, width, &columns);
  napi_create_array_with_length(env, width, &types);
  for (int column = 0; column < width; column++) {
    napi_value type;
    napi_create_uint32(env, PQftype(result, column), &type);
    napi_set_element(env, columns, column, new_string(env, PQfname(result, column)));
    napi_set_element(env, types, column, type);
  }
  napi_create_array_with_length(env, count, &rows);
  napi_value null_value;
  napi_get_null(env, &null_value);
  for (int row = 0; row < count; row++) {
    napi_value values;
    napi_create_array_with_length(env, width, &values);
    for (int column = 0; column < width; column++) {
      napi_value value = null_value;
      if (!PQgetisnull(result, row, column))
        napi_create_string_utf8(env, PQgetvalue(result, row, column), PQgetlength(result, row, column), &value);
      napi_set_element(env, values, column, value);
    }
    napi_set_element(env, rows, row, values);
  }
  set(env, object, "columns", columns);
  set(env, object, "types", types);
  set(env, object, "rows", rows);
  return object;
}

/* A failure of the connection itself: { status: 'CONNECTION', message }. */
static napi_value connection_failure(napi_env env, PGconn *conn, const char *fallback) {
  napi_value object;
  napi_create_object(env, &object);
  const char *message = PQerrorMessage(conn);
  set(env, object, "status", new_string(env, "CONNECTION"));
  set(env, object, "message", new_string(env, message != NULL && message[0] != '\0' ? message : fallback));
  return object;
}

static napi_value result_or_failure(napi_env env, PGconn *conn, PGresult *result) {
  if (result == NULL) return connection_failure(env, conn, "no result from the server");
  napi_value value = result_value(env, result);
  PQclear(result);
  return value;
}

/* connect(conninfo): a session; throws with libpq's message when it cannot connect. */
static napi_value Connect(napi_env env, napi_callback_info info) {
  ARGS(1);
  char *conninfo = string_of(env, argv[0]);
  if (conninfo == NULL) return NULL;
  PGconn *conn = PQconnectdb(conninfo);
  free(conninfo);
  if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
    napi_throw_error(env, NULL, conn == NULL ? "out of memory" : PQerrorMessage(conn));
    if (conn != NULL) PQfinish(conn);
    return NULL;
  }
  Session *session = malloc(sizeof(Session));
  if (session == NULL) {
    PQfinish(conn);
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  session->conn = conn;
  napi_value external;
  CHECK(napi_create_external(env, session, finalize_session, NULL, &external));
  return external;
}

/* finish(session): ends the session (later calls throw). */
static napi_value Finish(napi_env env, napi_callback_info info) {
  ARGS(1);
  Session *session = NULL;
  if (napi_get_value_external(env, argv[0], (void **)&session) == napi_ok && session != NULL &&
      session->conn != NULL) {
    PQfinish(session->conn);
    session->conn = NULL;
  }
  return NULL;
}

/* exec(session, sql): one or more statements in the simple protocol; the last result. */
static napi_value Exec(napi_env env, napi_callback_info info) {
  ARGS(2);
  PGconn *conn = conn_of(env, argv[0]);
  if (conn == NULL) return NULL;
  char *sql = string_of(env, argv[1]);
  if (sql == NULL) return NULL;
  PGresult *result = PQexec(conn, sql);
  free(sql);
  return result_or_failure(env, conn, result);
}

/* A step of `run`: [0, sql, params] a statement, [1, name, sql, count] a preparation, [2, name, params] a prepared statement. */
typedef struct {
  int kind;
  char *first;
  char *second;
  int count;
  Params params;
} Step;

static void free_step(Step *step) {
  free(step->first);
  free(step->second);
  free_params(&step->params);
}

static int read_step(napi_env env, napi_value array, Step *step) {
  napi_value kind, first, last;
  int32_t number = 0;
  memset(step, 0, sizeof(Step));
  napi_get_element(env, array, 0, &kind);
  napi_get_element(env, array, 1, &first);
  napi_get_element(env, array, 2, &last);
  napi_get_value_int32(env, kind, &number);
  step->kind = number;
  step->first = string_of(env, first);
  if (step->first == NULL) return 0;
  if (step->kind == 1) {
    napi_value count;
    step->second = string_of(env, last);
    napi_get_element(env, array, 3, &count);
    napi_get_value_int32(env, count, &step->count);
    return step->second != NULL;
  }
  return read_params(env, last, &step->params);
}

static const char *const *values_of(Step *step) {
  return (const char *const *)step->params.values;
}

static PGresult *run_alone(PGconn *conn, Step *step) {
  switch (step->kind) {
  case 0:
    return PQexecParams(conn, step->first, step->params.count, NULL, values_of(step), NULL, NULL, 0);
  case 1:
    return PQprepare(conn, step->first, step->second, step->count, NULL);
  default:
    return PQexecPrepared(conn, step->first, step->params.count, values_of(step), NULL, NULL, 0);
  }
}

static int send_step(PGconn *conn, Step *step) {
  switch (step->kind) {
  case 0:
    return PQsendQueryParams(conn, step->first, step->params.count, NULL, values_of(step), NULL, NULL, 0);
  case 1:
    return PQsendPrepare(conn, step->first, step->second, step->count, NULL);
  default:
    return PQsendQueryPrepared(conn, step->first, step->params.count, values_of(step), NULL, NULL, 0);
  }
}

/* The results of `count` steps sent in one pipeline, then its sync; a connection failure ends the array early. */
static void read_pipeline(napi_env env, PGconn *conn, int count, napi_value results) {
  for (int index = 0; index < count; index++) {
    PGresult *result = PQgetResult(conn);
    if (result == NULL) {
      napi_set_element(env, results, index, connection_failure(env, conn, "no result from the server"));
      return;
    }
    napi_set_element(env, results, index, result_value(env, result));
    PQclear(result);
    while ((result = PQgetResult(conn)) != NULL) PQclear(result);
  }
  PGresult *sync = PQgetResult(conn);
  int synced = sync != NULL && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
  PQclear(sync);
  if (!synced) napi_set_element(env, results, count, connection_failure(env, conn, "the pipeline did not end"));
}

/* run(session, steps): one result per step, in one round trip (a pipeline when more than one). */
static napi_value Run(napi_env env, napi_callback_info info) {
  ARGS(2);
  napi_value results;
  uint32_t count = 0;
  PGconn *conn = conn_of(env, argv[0]);
  if (conn == NULL) return NULL;
  CHECK(napi_get_array_length(env, argv[1], &count));
  Step *steps = calloc(count == 0 ? 1 : count, sizeof(Step));
  if (steps == NULL) return NULL;
  uint32_t read = 0;
  for (; read < count; read++) {
    napi_value item;
    napi_get_element(env, argv[1], read, &item);
    if (!read_step(env, item, &steps[read])) break;
  }
  if (read == count) {
    napi_create_array_with_length(env, count, &results);
    if (count == 1) {
      napi_set_element(env, results, 0, result_or_failure(env, conn, run_alone(conn, &steps[0])));
    } else if (!PQenterPipelineMode(conn)) {
      napi_set_element(env, results, 0, connection_failure(env, conn, "could not start a pipeline"));
    } else {
      int sent = 1;
      for (uint32_t i = 0; i < count && sent; i++) sent = send_step(conn, &steps[i]);
      if (sent && PQpipelineSync(conn)) read_pipeline(env, conn, (int)count, results);
      else napi_set_element(env, results, 0, connection_failure(env, conn, "could not send the statements"));
      PQexitPipelineMode(conn);
    }
  }
  for (uint32_t i = 0; i < read && i < count; i++) free_step(&steps[i]);
  if (read < count) free_step(&steps[read]);
  free(steps);
  return read == count ? results : NULL;
}

/* transactionStatus(session): 0 idle, 1 active, 2 in a transaction, 3 in a failed one, 4 unknown. */
static napi_value TransactionStatus(napi_env env, napi_callback_info info) {
  ARGS(1);
  napi_value value;
  PGconn *conn = conn_of(env, argv[0]);
  if (conn == NULL) return NULL;
  CHECK(napi_create_int32(env, (int32_t)PQtransactionStatus(conn), &value));
  return value;
}

/* pipelineOn(session): whether the session is still in pipeline mode (an unfinished pipeline). */
static napi_value PipelineOn(napi_env env, napi_callback_info info) {
  ARGS(1);
  napi_value value;
  PGconn *conn = conn_of(env, argv[0]);
  if (conn == NULL) return NULL;
  CHECK(napi_get_boolean(env, PQpipelineStatus(conn) != PQ_PIPELINE_OFF, &value));
  return value;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor functions[] = {
      {"connect", NULL, Connect, NULL, NULL, NULL, napi_default, NULL},
      {"finish", NULL, Finish, NULL, NULL, NULL, napi_default, NULL},
      {"exec", NULL, Exec, NULL, NULL, NULL, napi_default, NULL},
      {"run", NULL, Run, NULL, NULL, NULL, napi_default, NULL},
      {"transactionStatus", NULL, TransactionStatus, NULL, NULL, NULL, napi_default, NULL},
      {"pipelineOn", NULL, PipelineOn, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(functions) / sizeof(functions[0]), functions));
  return exports;
}

NAPI_MODULE_INIT() { return Init(env, exports); }
