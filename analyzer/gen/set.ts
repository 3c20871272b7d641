/**
 * The set workload, as Jepsen's `set-full` test runs it: clients add unique integers and now and
 * then read the whole set. The database holds each key's set and changes it atomically, so every
 * read shows exactly the adds that took effect before it: valid under `set-full --linearizable`.
 *
 * Reads get rarer as a set grows (about 8 elements read per op on average, however long the
 * run), so a million-op history stays under 100 MB instead of growing quadratically.
 * The run ends with one more add and a final read of every key, as Jepsen's set tests end
 * with final reads.
 * With more than one key, values are Jepsen `independent` tuples: `[k x]`, reads `[k nil]` →
 * `[k #{…}]`.
 *
 * Anomalies, scripted on a quiet database (see clients.ts), on the first key:
 *
 *   lost-write   add x is acknowledged but never applied; a later read lacks it (lost)
 *   stale-read   add x is applied and acknowledged, a read begun afterwards lacks it (a lagging
 *                replica), and a later read shows it (stale: set-full --linearizable fails)
 *
 * A SetShape (benchmarks) fixes the read rate instead, e.g. rare reads of one huge set as
 * bench:checkers wants them, and the refusal rate.
 */
import { EdnSet, type EdnValue, kw } from '../edn/values.js';
import type { Completion, Invocation, Script, SimDb } from './clients.js';
import type { SeededRandom as Rng } from '../util/random.js';

/** The anomalies the set workload can script. */
export type SetAnomaly = 'lost-write' | 'stale-read';
/** SetAnomaly's values, in the order the CLI lists them. */
export const SET_ANOMALIES: readonly SetAnomaly[] = ['lost-write', 'stale-read'];

const ADD = kw('add');
const READ = kw('read');
const REFUSED = kw('refused');

/** How the set workload runs; each default is `hindsight gen`'s. Verdict-neutral. */
export interface SetShape {
  /** Chance an invocation is a read (default: a quarter, falling as the set grows past 32). */
  readFraction?: number;
  /** Chance the database refuses an add (:fail, no effect) (0.01). */
  failRate?: number;
}

interface SetInvocation extends Invocation {
  k: number;
  x: number;
}

/** The database: each key's set, changed atomically when an add takes effect. */
export class SetDb implements SimDb<SetInvocation> {
  /** Each key's elements, sorted. */
  private readonly sets: number[][];
  private next = 0;
  readonly scriptOps: number;

  /** `keys` sets; `independent`: values are `[k v]` tuples; an anomaly to script, if any. */
  constructor(
    private readonly keys: number,
    private readonly independent: boolean,
    private readonly anomaly?: SetAnomaly,
    private readonly shape: SetShape = {},
  ) {
    this.sets = Array.from({ length: keys }, () => []);
    this.scriptOps = anomaly === 'stale-read' ? 6 : 4;
    this.finalOps = 4 * keys;
  }

  readonly finalOps: number;

  /**
   * Jepsen's final reads, each after one last add: every key then has an element that is surely
   * stable, so set-full's verdict is never unknown (nothing stable) on a key that saw only reads.
   */
  finish(s: Script): void {
    for (let k = 0; k < this.keys; k++) {
      const x = this.next++;
      s.invoke(0, ADD, this.wrap(k, x));
      insertSorted(this.sets[k], x);
      s.complete(0, { type: 'ok', value: this.wrap(k, x) });
      s.invoke(0, READ, this.wrap(k, null));
      s.complete(0, { type: 'ok', value: this.read(k) });
    }
  }

  private wrap(k: number, v: EdnValue): EdnValue {
    return this.independent ? [k, v] : v;
  }

  private read(k: number, without?: number): EdnValue {
    const items: EdnValue[] = without === undefined ? this.sets[k].slice() : this.sets[k].filter((x) => x !== without);
    return this.wrap(k, new EdnSet(items));
  }

  /** A read of a random key's whole set, or an add of a fresh element. */
  invoke(rng: Rng): SetInvocation {
    const k = rng.int(this.keys);
    const size = this.sets[k].length;
    if (rng.chance(this.shape.readFraction ?? 0.25 * Math.min(1, 32 / (size + 1)))) return { f: READ, value: this.wrap(k, null), k, x: -1 };
    const x = this.next++;
    return { f: ADD, value: this.wrap(k, x), k, x };
  }

  /** A read sees the set as it is now; an add takes effect unless refused. */
  apply(inv: SetInvocation, rng: Rng): Completion {
    if (inv.f === READ) return { type: 'ok', value: this.read(inv.k) };
    if (rng.chance(this.shape.failRate ?? 0.01)) return { type: 'fail', value: inv.value, error: REFUSED };
    insertSorted(this.sets[inv.k], inv.x);
    return { type: 'ok', value: inv.value };
  }

  /** Writes the anomaly's script (lost-write, or stale-read) on the first key. */
  inject(s: Script): void {
    const x = this.next++;
    const reader = s.slots > 1 ? 1 : 0;
    const added = this.wrap(0, x);
    s.invoke(0, ADD, added);
    if (this.anomaly === 'stale-read') insertSorted(this.sets[0], x);
    s.complete(0, { type: 'ok', value: added });
    s.invoke(reader, READ, this.wrap(0, null));
    s.complete(reader, { type: 'ok', value: this.read(0, x) });
    if (this.anomaly === 'stale-read') {
      s.invoke(reader, READ, this.wrap(0, null));
      s.complete(reader, { type: 'ok', value: this.read(0) });
    }
  }
}

function insertSorted(a: number[], x: number): void {
  let lo = a.length;
  while (lo > 0 && a[lo - 1] > x) lo--;
  a.splice(lo, 0, x);
}
