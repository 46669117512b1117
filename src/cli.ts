#!/usr/bin/env node
/**
 * The ocidex command line. Each command's module is imported only when it runs, so start-up
 * (and `--help`) loads nothing but the parser.
 */
import { Command, Option } from 'commander';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const positiveInt = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`expected a positive integer, got "${value}"`);
  return parsed;
};
const port = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new Error(`expected a port (0-65535), got "${value}"`);
  return parsed;
};

const SECRETS_DIR_HELP = 'credentials.passwordFile of registry configs is read here (or OCIDEX_SECRETS_DIR)';
const ENV_PREFIX_HELP =
  'variables registry configs may name start with this (or OCIDEX_CREDENTIAL_ENV_PREFIX; default OCIDEX_CRED_)';

/** The credential-policy flags of serve and worker, as the variables every part reads (one source). */
const applyCredentialFlags = (options: { secretsDir?: string; credentialEnvPrefix?: string }): void => {
  if (options.secretsDir !== undefined) process.env.OCIDEX_SECRETS_DIR = options.secretsDir;
  if (options.credentialEnvPrefix !== undefined) process.env.OCIDEX_CREDENTIAL_ENV_PREFIX = options.credentialEnvPrefix;
};

/** The index: a SQLite file (the default) or a PostgreSQL URL; OCIDEX_DATABASE_URL when not given. */
function dbOption(): Option {
  return new Option('--db <path|url>', 'index: SQLite file or postgres://user@host/db URL')
    .env('OCIDEX_DATABASE_URL')
    .default('ocidex.db');
}

const program = new Command('ocidex')
  .description('Crawl OCI registries for ML model artifacts and query their metadata with JSONPath')
  .version('0.1.0')
  .option('--debug', 'print the stack of an error (or OCIDEX_DEBUG=1)')
  .showHelpAfterError();

program
  .command('crawl')
  .description('crawl a registry (or one repository, or exact references) into the index')
  .argument('[target]', '<registry>[/<repository>], e.g. localhost:5000 or ghcr.io/org/models')
  .option('--repo <name>', 'repository to crawl instead of the catalog (repeatable)', collect)
  .option('--include <glob>', 'only repositories matching this glob (repeatable)', collect)
  .option('--exclude <glob>', 'skip repositories matching this glob (repeatable)', collect)
  .option('--refs <reference...>', 'crawl exact references (host/repo:tag or host/repo@digest)')
  .option('--json', 'print JSON (with --refs: omlmd-compatible [{reference, config}])')
  .addOption(dbOption())
  .option('--config <file>', 'ocidex.yaml whose trust policies verify the signatures found')
  .option('--plain-http', 'use plain HTTP for the registry')
  .option('-u, --username <user>', 'registry username (or OCIDEX_USERNAME)')
  .option('--password-stdin', 'read the registry password from standard input (or OCIDEX_PASSWORD)')
  .option('--concurrency <n>', 'requests in flight per registry', positiveInt, 8)
  .option('--rps <n>', 'requests per second per registry', positiveInt)
  .option('--no-progress', 'plain lines even on a terminal')
  .action(async (target: string | undefined, options) => {
    const { runCrawl } = await import('./cli/crawl-command.js');
    process.exitCode = await runCrawl(target, options);
  });

program
  .command('query')
  .description('query the index with JSONPath over the array of all documents')
  .argument('[jsonpath]', 'e.g. "$[?@.model.license == \'Apache-2.0\'].reference"')
  .addOption(dbOption())
  .addOption(
    new Option('--dialect <dialect>', 'query dialect').choices(['rfc9535', 'jsonpath-plus']).default('rfc9535'),
  )
  .option('--sort <path>', 'sort by a singular path, e.g. @.model.metrics.accuracy')
  .addOption(new Option('--order <order>', 'sort order').choices(['asc', 'desc']).default('asc'))
  .option('--limit <n>', 'at most n results', positiveInt)
  .option('--cursor <cursor>', 'continue after a previous page')
  .option('--count', 'print the number of matches')
  .option('--facet <path>', 'distinct values of a path with counts among the matches')
  .option('--saved <name>', 'run a saved query from queries/')
  .action(async (jsonpath: string | undefined, options) => {
    const { runQuery } = await import('./cli/query-command.js');
    process.exitCode = await runQuery(jsonpath, options);
  });

program
  .command('verify')
  .description('put the trust policies of --config in force and re-verify every stored signature (no registry request)')
  .option('--config <file>', 'ocidex.yaml with a trust: section (or OCIDEX_CONFIG)')
  .addOption(dbOption())
  .option('--json', 'print the tally as JSON')
  .action(async (options) => {
    const { runVerify } = await import('./cli/verify-command.js');
    process.exitCode = await runVerify({ ...options, config: options.config ?? process.env.OCIDEX_CONFIG });
  });

program
  .command('show')
  .description('print one document with its referrers')
  .argument('<reference>', 'registry/repository@digest, or registry/repository:tag')
  .addOption(dbOption())
  .action(async (reference: string, options) => {
    const { runShow } = await import('./cli/show-command.js');
    process.exitCode = await runShow(reference, options);
  });

program
  .command('migrate')
  .description('copy a whole index into another database: SQLite file or PostgreSQL URL, either way')
  .requiredOption('--from <path|url>', 'the index to copy (SQLite file or postgres:// URL), opened readonly')
  .requiredOption('--to <path|url>', 'where to copy it (created when missing; must be empty unless --replace)')
  .option('--replace', 'empty a target that holds an index first')
  .action(async (options) => {
    const { runMigrate } = await import('./cli/migrate-command.js');
    process.exitCode = await runMigrate(options);
  });

program
  .command('demo')
  .description('start a throwaway registry, push sample models, crawl them and run three example queries')
  .option('--db <path>', 'index database file (the demo stays on SQLite)', 'ocidex.db')
  .option('--keep', 'leave the registry running until Ctrl-C')
  .option('--serve', 'then serve the catalog (and the API) on the demo index until Ctrl-C, the registry kept up')
  .option('--port <port>', 'port of --serve (0: any free port)', port, 8080)
  .action(async (options) => {
    const { runDemo } = await import('./cli/demo-command.js');
    process.exitCode = await runDemo(options);
  });

program
  .command('serve')
  .description(
    'serve the HTTP API; embedded: crawl, schedule and apply push events in this process; with REDIS_URL: queue them for `ocidex worker`',
  )
  .option('--config <file>', 'registries to crawl (ocidex.yaml; or OCIDEX_CONFIG)')
  .addOption(dbOption())
  .option('--port <port>', 'port to listen on (0: any free port)', port, 8080)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--secrets-dir <dir>', SECRETS_DIR_HELP)
  .option('--credential-env-prefix <prefix>', ENV_PREFIX_HELP)
  .addHelpText(
    'after',
    '\nEnvironment: OCIDEX_ADMIN_TOKEN, OCIDEX_READ_TOKEN, OCIDEX_EVENT_SECRET, OCIDEX_CORS_ORIGINS ' +
      '(comma-separated), REDIS_URL (queue mode),\nOCIDEX_EGRESS_ALLOW / OCIDEX_EGRESS_DENY (CIDRs), ' +
      'OCIDEX_METRICS_REQUIRE_TOKEN=1. See README "Security".',
  )
  .action(async (options) => {
    applyCredentialFlags(options);
    const { runServe } = await import('./cli/serve-command.js');
    // Exit explicitly: the shutdown steps have run, and a stray keep-alive socket must not hold the process.
    process.exit(await runServe(options));
  });

program
  .command('worker')
  .description('queue mode (REDIS_URL): fetch registry content and/or write the index, as BullMQ workers')
  .addOption(dbOption())
  .addOption(new Option('--roles <roles>', 'fetch, write, or both').default('fetch,write'))
  .option('--lock-duration <ms>', "job lock; a dead worker's jobs return to the queue after it", positiveInt, 30_000)
  .option('--stalled-interval <ms>', 'how often to look for stalled jobs', positiveInt, 30_000)
  .option('--secrets-dir <dir>', SECRETS_DIR_HELP)
  .option('--credential-env-prefix <prefix>', ENV_PREFIX_HELP)
  .addHelpText(
    'after',
    '\nEnvironment: REDIS_URL (required), registry credential variables named in the registry configs.',
  )
  .action(async (options) => {
    applyCredentialFlags(options);
    const { runWorker } = await import('./cli/worker-command.js');
    process.exit(await runWorker(options));
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const { reportError } = await import('./cli/errors.js');
  const debug = program.opts().debug === true || process.env.OCIDEX_DEBUG === '1';
  process.exit(reportError(error, debug));
}
