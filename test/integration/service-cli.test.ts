/** `ocidex serve` as a user runs it: the built CLI as a child process, stopped by SIGTERM. */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnCaptured, stopProcess, type CapturedProcess } from '../../src/demo/child-process.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const SERVE_MODULE = new URL('../../dist/src/cli/serve-command.js', import.meta.url).pathname;
const run = promisify(execFile);
let temp: TempIndex | undefined;
let child: CapturedProcess | undefined;

/** The environment of the child: no queue mode, no Docker config, the given OCIDEX_* variables. */
function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL' && !name.startsWith('OCIDEX_')),
  );
  return { ...env, DOCKER_CONFIG: '/nonexistent', ...extra };
}

async function ocidex(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The URL the server printed, once it did. */
async function printedUrl(server: CapturedProcess): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const match = /ocidex serving on (http:\/\/\S+)/.exec(server.output());
    if (match?.[1] !== undefined) return match[1];
    if (server.hasExited()) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`ocidex serve printed no URL: ${server.output() || '(no output)'}`);
}

beforeAll(() => {
  if (!existsSync(CLI) || !existsSync(SERVE_MODULE))
    throw new Error(`${SERVE_MODULE} is missing: run npm run build first`);
});

afterEach(async () => {
  if (child !== undefined) await stopProcess(child);
  temp?.cleanup();
  child = temp = undefined;
});

describe('ocidex serve', () => {
  it('serves /healthz and the file-defined registries, and exits 0 after its shutdown steps on SIGTERM', async () => {
    temp = tempIndex();
    temp.index.close();
    const config = join(temp.path, '..', 'ocidex.yaml');
    writeFileSync(
      config,
      'registries:\n  - { id: local, url: "127.0.0.1:5999", schedule: "0 0 * * *", credentials: { passwordEnv: OCIDEX_CRED_LOCAL_TOKEN } }\n',
    );
    child = spawnCaptured(
      process.execPath,
      [CLI, 'serve', '--config', config, '--db', temp.path, '--port', '0'],
      environment({ OCIDEX_READ_TOKEN: 'read-token-cli', OCIDEX_CRED_LOCAL_TOKEN: 'secret-value-cli' }),
    );
    const url = await printedUrl(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${url}/v1/registries`)).status).toBe(401);
    const registries = await fetch(`${url}/v1/registries`, { headers: { Authorization: 'Bearer read-token-cli' } });
    expect(await registries.json()).toEqual({
      items: [
        {
          id: 'local',
          url: '127.0.0.1:5999',
          schedule: '0 0 * * *',
          credentials: { passwordEnv: 'OCIDEX_CRED_LOCAL_TOKEN' },
        },
      ],
    });
    child.child.kill('SIGTERM');
    const exit = await child.exited;
    const output = child.output();
    expect(exit, `ocidex serve's output:\n${output}`).toEqual({ code: 0, signal: null });
    for (const step of ['close the HTTP server', 'stop the schedules', 'abort running crawls', 'close the index']) {
      expect(output).toContain(`shutdown: ${step}`);
    }
    expect(output).not.toContain('secret-value-cli');
  });

  it('exits 2 naming the file and the field of a broken config', async () => {
    temp = tempIndex();
    temp.index.close();
    const config = join(temp.path, '..', 'broken.yaml');
    writeFileSync(config, 'registries:\n  - { id: local, url: "127.0.0.1:5999", schedule: "every day" }\n');
    const result = await ocidex(['serve', '--config', config, '--db', temp.path, '--port', '0'], environment());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.yaml: registries\[0\]\.schedule: must be a cron expression/);
  });
});
