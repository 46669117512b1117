/**
 * The import direction of ARCHITECTURE.md, as rules (`npm run lint` checks them). Tiers, from
 * the bottom: domain; registry, decode, verify, store (each on domain only); config; crawl and
 * query; api; runtime; embedded and queue (neither imports the other); cli and demo. A file may
 * import its own folder and any lower tier, never a higher one, and nothing may form a cycle.
 */
const LOW = 'registry|decode|verify|store';

/** A rule forbidding files in `from` folders to import `to` folders (regex alternations under src/). */
function forbid(name, comment, from, to) {
  return { name, comment, severity: 'error', from: { path: `^src/(${from})/` }, to: { path: `^src/((${to})/|cli\\.ts$)` } };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules import one way; a cycle means a unit belongs elsewhere or a type belongs lower.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-imports-nothing',
      comment: 'src/domain holds the shared types and errors: it imports nothing else of ours.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'low-tier-on-domain-only',
      comment: 'registry, decode, verify and store stand on src/domain alone, not on one another.',
      severity: 'error',
      from: { path: `^src/(${LOW})/` },
      to: { path: '^src/', pathNot: '^src/(domain|$1)/' },
    },
    forbid('config-below-pipeline', 'Configuration is mode-neutral: read by the pipeline and both modes.', 'config',
      'crawl|query|api|runtime|embedded|queue|cli|demo'),
    forbid('pipeline-below-api', 'crawl and query never know the HTTP layer or a mode of the service.', 'crawl|query',
      'api|runtime|embedded|queue|cli|demo'),
    forbid('api-below-modes', 'The API declares ports; the modes implement them, not the other way.', 'api',
      'runtime|embedded|queue|cli|demo'),
    forbid('runtime-below-modes', 'Plumbing both modes share knows neither mode.', 'runtime', 'embedded|queue|cli|demo'),
    forbid('embedded-not-queue', 'Embedded mode and queue mode are independent.', 'embedded', 'queue|cli|demo'),
    forbid('queue-not-embedded', 'Embedded mode and queue mode are independent.', 'queue', 'embedded|cli|demo'),
    forbid('demo-below-cli', 'The demo kit (registry launchers, pushers) is used by the CLI, not the reverse.', 'demo',
      'crawl|query|api|runtime|embedded|queue|cli'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: a type from a higher layer is still a dependency on it.
    moduleSystems: ['es6'],
  },
};
