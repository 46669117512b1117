import { describe, expect, it } from 'vitest';
import { StreamedBody } from '../../../src/registry/response-body.js';

/** A source that records what the body asked of the connection. */
function recordingSource() {
  const calls: string[] = [];
  return {
    calls,
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    abort: (reason: Error) => calls.push(`abort: ${reason.message}`),
  };
}

async function readAll(body: StreamedBody): Promise<string> {
  let text = '';
  for await (const chunk of body) text += Buffer.from(chunk).toString();
  return text;
}

describe('StreamedBody', () => {
  it('yields chunks pushed before and after the reader waits, then ends', async () => {
    const body = new StreamedBody(recordingSource());
    body.push(Buffer.from('ab'));
    const reading = readAll(body);
    await Promise.resolve();
    body.push(Buffer.from('cd'));
    body.finish();
    expect(await reading).toBe('abcd');
    expect(body.readableEnded).toBe(true);
  });

  it('pauses the connection past 64 KiB unread and resumes it as the reader catches up', async () => {
    const source = recordingSource();
    const body = new StreamedBody(source);
    body.push(Buffer.alloc(40 * 1024));
    expect(source.calls).toEqual([]);
    body.push(Buffer.alloc(40 * 1024));
    expect(source.calls).toEqual(['pause']);
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    expect(source.calls).toEqual(['pause', 'resume']);
  });

  it('rethrows the error that ended the response, after the chunks that came before it', async () => {
    const body = new StreamedBody(recordingSource());
    body.push(Buffer.from('partial'));
    body.finish(new Error('socket hang up'));
    const iterator = body[Symbol.asyncIterator]();
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toBe('partial');
    await expect(iterator.next()).rejects.toThrow('socket hang up');
    expect(body.readableEnded).toBe(false);
  });

  it('destroying an unfinished body aborts its response; a finished one is not aborted', () => {
    const unfinished = recordingSource();
    new StreamedBody(unfinished).destroy();
    expect(unfinished.calls).toEqual(['abort: response body destroyed']);
    const finished = recordingSource();
    const body = new StreamedBody(finished);
    body.finish();
    body.destroy();
    expect(finished.calls).toEqual([]);
    expect(body.destroyed).toBe(true);
  });

  it('dump reads a small rest to the end and destroys a rest over its limit', async () => {
    const small = new StreamedBody(recordingSource());
    small.push(Buffer.alloc(10));
    small.finish();
    await small.dump({ limit: 100 });
    expect(small.readableEnded).toBe(true);
    const source = recordingSource();
    const large = new StreamedBody(source);
    large.push(Buffer.alloc(200));
    await large.dump({ limit: 100 });
    expect(large.destroyed).toBe(true);
    expect(source.calls).toEqual(['abort: response body destroyed']);
  });
});
