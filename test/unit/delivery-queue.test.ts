import { describe, expect, it } from 'vitest';
import { createDeliveryQueue } from '../../src/delivery/delivery-queue';
import { createDeliverySlices } from '../../src/delivery/delivery-slices';
import type { ChangeEvent } from '../../src/events/change-event';
import type { LogRecord } from '../../src/events/log-record';
import { formatCursor } from '../../src/events/cursor';

let position = 0;
const record = (event: Partial<ChangeEvent>): LogRecord => {
  const cursor = { epoch: 'test', major: ++position, minor: 0 };
  const full: ChangeEvent = {
    id: `e${position}`,
    uid: 'api::article.article',
    action: 'updated',
    documentId: 'doc',
    locale: null,
    status: 'published',
    entry: { title: `v${position}` },
    at: new Date(0).toISOString(),
    ...event,
  };
  return { kind: 'message', cursor, id: formatCursor(cursor), message: { type: 'change', event: full } };
};

const titleOf = (r: LogRecord) =>
  r.kind === 'gap' ? `gap:${r.reason}@${r.id}` : r.message.type === 'change' ? String(r.message.event.entry?.title ?? r.message.event.action) : 'emit';

/** A queue whose deliveries wait until `release()`: what arrives meanwhile is "behind". */
const blockedQueue = (options: { maxPending?: number; conflates?: (uid: string) => boolean } = {}) => {
  const delivered: string[] = [];
  /** How many records each delivery carried. */
  const runs: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let first = true;
  const queue = createDeliveryQueue({
    async deliver(records) {
      if (first) {
        first = false;
        await gate;
      }
      runs.push(records.length);
      for (const r of records) delivered.push(titleOf(r));
    },
    slices: createDeliverySlices({ sliceMs: 10 }),
    maxPending: options.maxPending ?? 100,
    conflates: options.conflates ?? (() => false),
    onError: (error) => {
      throw error;
    },
  });
  return { queue, delivered, runs, release };
};

describe('delivery queue', () => {
  it('delivers records and jobs one after another, in the order they came', async () => {
    const { queue, delivered, release } = blockedQueue();
    const first = record({ entry: { title: 'a' } });
    queue.push(first);
    const job = queue.schedule(async () => void delivered.push('job'));
    queue.push(record({ entry: { title: 'b' } }));
    release();
    await job;
    await queue.drain();
    expect(delivered).toEqual(['a', 'job', 'b']);
    expect(queue.stats()).toEqual({ pending: 0, conflated: 0, overflowed: 0 });
  });

  it('without conflation every waiting update is delivered; records that waited go as one run, up to the next job', async () => {
    const { queue, delivered, runs, release } = blockedQueue();
    for (const title of ['v1', 'v2', 'v3', 'v4']) queue.push(record({ entry: { title } }));
    void queue.schedule(async () => void delivered.push('job'));
    queue.push(record({ entry: { title: 'v5' } }));
    release();
    await queue.drain();
    expect(delivered).toEqual(['v1', 'v2', 'v3', 'v4', 'job', 'v5']);
    // v1 was running alone when the rest arrived; v2-v4 waited together; the job cuts the run.
    expect(runs).toEqual([1, 3, 1]);
  });

  it('with conflation a waiting update of a document is skipped when a newer one of the same document waits behind it', async () => {
    const { queue, delivered, release } = blockedQueue({ conflates: (uid) => uid === 'api::article.article' });
    queue.push(record({ documentId: 'busy', entry: { title: 'first (already running)' } }));
    queue.push(record({ documentId: 'busy', entry: { title: 'busy v2' } }));
    queue.push(record({ documentId: 'other', entry: { title: 'other v1' } }));
    queue.push(record({ documentId: 'busy', action: 'created', entry: { title: 'busy created' } }));
    queue.push(record({ documentId: 'busy', entry: { title: 'busy v3' } }));
    queue.push(record({ documentId: 'busy', locale: 'fr', entry: { title: 'busy fr' } }));
    queue.push(record({ uid: 'api::category.category', documentId: 'busy', entry: { title: 'category v1' } }));
    queue.push(record({ uid: 'api::category.category', documentId: 'busy', entry: { title: 'category v2' } }));
    release();
    await queue.drain();
    // v2 gave way to v3 (same document, action, locale, version); other actions, locales and types are untouched.
    expect(delivered).toEqual(['first (already running)', 'other v1', 'busy created', 'busy v3', 'busy fr', 'category v1', 'category v2']);
    expect(queue.stats().conflated).toBe(1);
  });

  it('past maxPending the oldest waiting records become one gap signal at the last dropped position; jobs still run', async () => {
    const { queue, delivered, release } = blockedQueue({ maxPending: 4 });
    queue.push(record({ entry: { title: 'running' } }));
    const records = ['r1', 'r2', 'r3'].map((title) => record({ entry: { title } }));
    for (const r of records) queue.push(r);
    const job = queue.schedule(async () => void delivered.push('job'));
    queue.push(record({ entry: { title: 'r4' } }));
    // Five waiting (four records and a job) > 4: records go until 2 are left waiting.
    expect(queue.stats()).toMatchObject({ pending: 3, overflowed: 3 });
    release();
    await job;
    await queue.drain();
    expect(delivered).toEqual(['running', `gap:overloaded@${records[2].id}`, 'job', 'r4']);
  });
});
