/**
 * A query worker that never returns for the query text `spin` (a busy loop, so only terminating
 * the thread stops it) and echoes any other text as the one item of its page.
 */
export default function run(task) {
  task.started?.postMessage('started');
  task.started?.close();
  if (task.text === 'spin') for (;;);
  return { ok: true, value: { items: [task.text], nextCursor: null, plan: { indexed: false, candidates: 0 } } };
}
