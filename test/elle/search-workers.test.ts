/**
 * The cycle search's worker pool: large components searched on workers give the same cycles
 * as searching them in-process, and a worker that cannot start costs speed, not the verdict
 * (piscina would otherwise leave the queued tasks pending and the check would hang).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { CYCLE_CLASSES } from '../../analyzer/elle/cycle-classes.js';
import { EdgeList, RW, WR, WW, buildCsr } from '../../analyzer/elle/graph.js';
import { type CycleSearchResult, findCycles } from '../../analyzer/elle/components.js';

/** Three components: a G0 ring (ww), a G1c pair (ww+wr), a G-single-item ring (one rw); plus an acyclic tail. */
function graph() {
  const l = new EdgeList();
  l.add(0, 1, WW); l.add(1, 2, WW); l.add(2, 0, WW);
  l.add(3, 4, WW); l.add(4, 3, WR);
  l.add(5, 6, WR); l.add(6, 7, WW); l.add(7, 5, RW);
  l.add(7, 8, WW); l.add(8, 9, WR);
  return buildCsr(10, l);
}

const classes = CYCLE_CLASSES.filter((c) => ['G0', 'G1c', 'G-single-item'].includes(c.name));

function summary(r: CycleSearchResult): Record<string, number[][]> {
  const out: Record<string, number[][]> = {};
  for (const [name, cycles] of [...r.cycles].sort(([a], [b]) => a.localeCompare(b))) out[name] = cycles.map((c) => [...c.nodes].sort((a, b) => a - b));
  return out;
}

const deadline = () => Date.now() + 60_000;
const expected = { G0: [[0, 1, 2]], G1c: [[3, 4]], 'G-single-item': [[5, 6, 7]] };

test('components searched on workers give the same cycles as in-process', async () => {
  const here = await findCycles(graph(), classes, { deadline: deadline(), workers: 1 });
  assert.deepEqual(summary(here), expected);
  const done: number[] = [];
  const pooled = await findCycles(graph(), classes, { deadline: deadline(), workers: 2, workerThreshold: 2, onComponentDone: (d) => done.push(d) });
  assert.deepEqual(summary(pooled), expected);
  assert.equal(pooled.components, 3);
  assert.deepEqual(done, [1, 2, 3]);
});

test('a worker that cannot start: every component is searched in-process and the cycles are the same', async () => {
  const workerFilename = join(import.meta.dirname, '../linear/support/broken-worker.mjs');
  const r = await findCycles(graph(), classes, { deadline: deadline(), workers: 2, workerThreshold: 2, workerFilename });
  assert.deepEqual(summary(r), expected);
  assert.deepEqual([...r.unknown.keys()], []);
});
