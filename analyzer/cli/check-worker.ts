/**
 * The worker thread of a guarded check (guard.ts): runs `checkOne` and sends back what it
 * prints, which phase it is in, and its exit status.
 */
import { parentPort, workerData } from 'node:worker_threads';
// This thread runs checkers: their lazy parts are loaded here, statically (util/lazy.ts).
import '../util/lazy-modules.js';
import { UsageError } from '../check/checker.js';
import type { Phases } from '../report/phases.js';
import { checkOne } from './check-one.js';
import { type GuardMessage, type GuardTask, fromWire } from './guard.js';

const port = parentPort!;
const post = (m: GuardMessage): void => port.postMessage(m);
const task = workerData as GuardTask;

/** Phases as messages: each new phase at once, counts within one at most ten times a second. */
function postedPhases(): Phases {
  let last = '';
  let at = 0;
  return {
    phase(s, done, total) {
      const now = Date.now();
      if (s === last && now - at < 100) return;
      last = s;
      at = now;
      post({ t: 'phase', s, done, total });
    },
    clear() {},
  };
}

try {
  const opts = fromWire(task.options);
  const code = await checkOne(task.job, opts, { log: (s) => post({ t: 'log', s }), err: (s) => post({ t: 'err', s }) }, postedPhases());
  post({ t: 'done', code });
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  post({ t: 'err', s: `hindsight: ${e.message}` });
  post({ t: 'done', code: 3 });
}
