/**
 * Push benchmark (`npm run bench:push`, a benchmark, nothing asserted): a real docker-registry
 * sends its notifications to the embedded service's `/v1/events/distribution`; distinct small
 * omlmd models are pushed one after another (default 100), and for each the time from the
 * manifest PUT's answer until `GET /v1/artifacts/<reference>` returns it is measured (polled
 * every 5 ms, at most 5 s per push). Prints p50/p95/max next to the goal: p95 < 1 s.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pusher } from '../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../src/demo/registry-process.js';
import { omlmdArtifact, pushArtifact } from '../src/demo/samples.js';
import { documentReference } from '../src/domain/document.js';
import { startService, type RunningService } from '../src/embedded/index.js';
import { pollUntilFound, recordingLogger } from './push-probe.js';
import { quantile } from './stats.js';

const { values } = parseArgs({
  options: {
    pushes: { type: 'string', default: '100' },
    'poll-ms': { type: 'string', default: '5' },
    'cap-ms': { type: 'string', default: '5000' },
  },
});
const pushes = Number(values.pushes);
const pollMs = Number(values['poll-ms']);
const capMs = Number(values['cap-ms']);
const ADMIN_TOKEN = randomBytes(16).toString('hex');
const EVENT_SECRET = randomBytes(16).toString('hex');
const GOAL_P95_MS = 1_000;

interface Sample {
  pushMs: number;
  latencyMs: number | null;
  reference: string;
}

async function pushOne(
  registry: RunningRegistry,
  service: RunningService,
  pusher: Pusher,
  index: number,
): Promise<Sample> {
  const repository = `bench/push-${index % 10}`;
  const artifact = omlmdArtifact({
    metadata: {
      name: `push-bench-${index}`,
      author: 'ocidex bench',
      customProperties: { accuracy: 0.5 + (index % 50) / 100, license: 'Apache-2.0' },
    },
  });
  const started = performance.now();
  await pushArtifact(pusher, repository, artifact, `v${index}`);
  const putAnswered = performance.now();
  const reference = documentReference(registry.host, repository, artifact.digest);
  const latencyMs = await pollUntilFound(`${service.url}/v1/artifacts/${reference}`, putAnswered, pollMs, capMs);
  return { pushMs: putAnswered - started, latencyMs, reference };
}

async function addRegistry(service: RunningService, registry: RunningRegistry): Promise<void> {
  const response = await fetch(`${service.url}/v1/registries`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'local', url: registry.url }),
  });
  if (response.status !== 201)
    throw new Error(`POST /v1/registries answered ${response.status}: ${await response.text()}`);
}

function report(samples: Sample[], service: RunningService, appliedMs: number[], failures: string[]): void {
  const arrived = samples.flatMap((sample) => (sample.latencyMs === null ? [] : [sample.latencyMs]));
  const inIndex = samples.filter((sample) => service.index.getDocument(sample.reference) !== null).length;
  const p95 = quantile(arrived, 0.95);
  const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(0));
  console.log(
    `\n${pushes} pushes of distinct omlmd models, one at a time; polled every ${pollMs} ms, cap ${capMs} ms per push`,
  );
  console.log('| push-to-queryable | p50 ms | p95 ms | max ms | arrived within cap | timeouts | goal: p95 < 1 s |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(
    `| GET /v1/artifacts/<reference> | ${ms(quantile(arrived, 0.5))} | ${ms(p95)} | ${ms(quantile(arrived, 1))} | ` +
      `${arrived.length}/${pushes} | ${pushes - arrived.length} | ${arrived.length === pushes && p95 < GOAL_P95_MS ? 'ok' : 'MISSED'} |`,
  );
  console.log(
    `\npush itself (blobs + manifest PUT): p50 ${ms(
      quantile(
        samples.map((sample) => sample.pushMs),
        0.5,
      ),
    )} ms`,
  );
  console.log(
    `event applied by the service (manifest fetch + decode + index): p50 ${ms(quantile(appliedMs, 0.5))} ms, p95 ${ms(quantile(appliedMs, 0.95))} ms, ${appliedMs.length} events`,
  );
  console.log(
    `in the index at the end: ${inIndex}/${pushes}; event failures: ${failures.length}${failures.length ? ` (first: ${failures[0]})` : ''}`,
  );
}

const workDir = mkdtempSync(join(tmpdir(), 'ocidex-push-bench-'));
const sink = recordingLogger();
const service = await startService({
  db: join(workDir, 'push-bench.db'),
  port: 0,
  host: '127.0.0.1',
  logger: sink.logger,
  processMetrics: false,
  api: { adminToken: ADMIN_TOKEN, eventSecret: EVENT_SECRET },
});
try {
  const registry = await startRegistry({
    notifications: {
      url: `${service.url}/v1/events/distribution?registry=local`,
      headers: { Authorization: `Bearer ${EVENT_SECRET}` },
    },
  });
  const pusher = new Pusher(registry.url);
  try {
    await addRegistry(service, registry);
    console.log(`registry ${registry.url} -> notifications -> ${service.url}/v1/events/distribution?registry=local`);
    const samples: Sample[] = [];
    for (let index = 0; index < pushes; index += 1) samples.push(await pushOne(registry, service, pusher, index));
    await Promise.race([service.events.idle(), new Promise((resolve) => setTimeout(resolve, capMs).unref())]);
    report(samples, service, sink.appliedMs, sink.failures);
  } finally {
    await pusher.close();
    await registry.stop();
  }
} finally {
  await service.close();
  rmSync(workDir, { recursive: true, force: true });
}
