/** suite --parallel's scheduling: N at once for shareable runs, the others alone, plan order of starting. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schedule } from '../../recorder/suite/schedule.js';

/** Runs `schedule` with work that takes a few ms; returns the start order and, per index, how many ran beside it at its start. */
async function trace(todo: number[], width: number, shareable: (i: number) => boolean): Promise<{ order: number[]; beside: Map<number, number>; max: number }> {
  let now = 0;
  let max = 0;
  const order: number[] = [];
  const beside = new Map<number, number>();
  const live = new Set<number>();
  await schedule(todo, width, shareable, async (i) => {
    order.push(i);
    beside.set(i, live.size);
    live.add(i);
    now++;
    max = Math.max(max, live.size);
    await new Promise((r) => setTimeout(r, 5 + (i % 3) * 4));
    live.delete(i);
  });
  assert.equal(now, todo.length);
  return { order, beside, max };
}

test('shareable runs go N at once, never more; a run its backend cannot share starts alone and nothing starts beside it', async () => {
  const alone = new Set([3, 7]);
  const t = await trace([0, 1, 2, 3, 4, 5, 6, 7, 8], 3, (i) => !alone.has(i));
  assert.deepEqual(t.order, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(t.max, 3);
  for (const i of alone) assert.equal(t.beside.get(i), 0, `run ${i} started beside others`);
  assert.equal(t.beside.get(4), 0, 'run 4 started while run 3 (alone) was running');
  assert.equal(t.beside.get(8), 0, 'run 8 started while run 7 (alone) was running');
  assert.equal(t.beside.get(2), 2);
});

test('width 1 is one after another', async () => {
  const t = await trace([0, 1, 2, 3], 1, () => true);
  assert.equal(t.max, 1);
});

test('a failing run stops further starts and its error comes out once the started runs settled', async () => {
  const started: number[] = [];
  let settled = 0;
  await assert.rejects(
    schedule([0, 1, 2, 3, 4, 5], 2, () => true, async (i) => {
      started.push(i);
      await new Promise((r) => setTimeout(r, i === 1 ? 2 : 20));
      if (i === 1) throw new Error('run 1 broke');
      settled++;
    }),
    /run 1 broke/,
  );
  // Run 1 fails while run 0 runs: nothing more starts, and run 0 is waited for.
  assert.deepEqual(started, [0, 1]);
  assert.equal(settled, 1);
});
