/** The report's phase line: on a terminal only, not with --quiet, and erased at the end. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { phaseLine } from '../../analyzer/report/phases.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, columns: 60, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

test('a phase that lasts shows one line with its count and elapsed time; a new phase replaces it; clear erases it', async () => {
  let t = 0;
  const { stream, written } = fakeStream(true);
  const p = phaseLine({ stream, delayMs: 5, now: () => t });
  p.phase('checking linearizable (1/2)');
  assert.deepEqual(written, [], 'nothing before the delay');
  await sleep(30);
  t = 1500;
  assert.deepEqual(written, ['\rchecking linearizable (1/2) (0.0 s)\x1b[K']);
  p.phase('checking timeline (2/2)');
  p.phase('checking timeline (2/2)', 3, 10); // same phase within 100 ms: not redrawn
  t = 1700;
  p.phase('checking timeline (2/2)', 4, 10);
  p.phase('writing report.html with a name far too long for a sixty-column terminal line');
  p.clear();
  assert.deepEqual(written.slice(1), [
    '\rchecking timeline (2/2) (1.5 s)\x1b[K',
    '\rchecking timeline (2/2) 4/10 (1.7 s)\x1b[K',
    '\rwriting report.html with a name far too long for a sixty-c…\x1b[K',
    '\r\x1b[K',
  ]);
});

test('quick work, a pipe, or --quiet: nothing is written', async () => {
  for (const [isTTY, quiet] of [[true, false], [false, false], [true, true]] as const) {
    const { stream, written } = fakeStream(isTTY);
    const p = phaseLine({ stream, quiet, delayMs: isTTY && !quiet ? 1000 : 0 });
    p.phase('rendering');
    await sleep(10);
    p.clear();
    assert.deepEqual(written, [], `isTTY ${isTTY}, quiet ${quiet}`);
  }
});
