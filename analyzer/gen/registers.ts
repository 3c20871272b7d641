/**
 * Register workloads: `register` (read / write), `cas-register` (+ cas [old new]) and Porcupine's
 * `kv` (get / put / append on string keys that start as "").
 *
 * The database is a plain map, changed atomically when an op takes effect, so it is
 * linearizable. Every written value is unique, which makes a fault certain rather than
 * plausible: once a value is overwritten it can never legally be read again.
 *
 * With more than one key, register values are Jepsen `independent` tuples `[k v]` (a read
 * invokes `[k nil]`); kv ops carry `:key` instead. Anomalies, written by a script on a quiet
 * database (see clients.ts), on the first key:
 *
 *   stale-read   write a (ok), write b (ok), then a read returns a
 *   lost-write   write a (ok), write b (ok, but the database drops it), then a read returns a
 */
import { EdnMap, type EdnValue, type Keyword, kw } from '../edn/values.js';
import type { Completion, Invocation, Script, SimDb } from './clients.js';
import type { SeededRandom as Rng } from '../util/random.js';

/** The anomalies the register workloads can script. */
export type RegisterAnomaly = 'stale-read' | 'lost-write';
/** RegisterAnomaly's values, in the order the CLI lists them. */
export const REGISTER_ANOMALIES: readonly RegisterAnomaly[] = ['stale-read', 'lost-write'];

const READ = kw('read');
const WRITE = kw('write');
const CAS = kw('cas');
const GET = kw('get');
const PUT = kw('put');
const APPEND = kw('append');
const KEY = kw('key');
const REFUSED = kw('refused');
/** Chance a write is refused by the database (:fail, no effect). */
const REFUSE = 0.01;

interface RegisterInvocation extends Invocation {
  k: number;
  /** The written value, or cas [old new]. */
  arg: number | null | [number, number];
}

/** register and cas-register; `independent`: values are [k v] tuples over `keys` keys. */
export class RegisterDb implements SimDb<RegisterInvocation> {
  private readonly state: (number | null)[];
  private next = 1;
  readonly scriptOps = 6;

  constructor(
    private readonly cas: boolean,
    private readonly keys: number,
    private readonly independent: boolean,
    private readonly anomaly?: RegisterAnomaly,
  ) {
    this.state = new Array<number | null>(keys).fill(null);
  }

  private wrap(k: number, v: EdnValue): EdnValue {
    return this.independent ? [k, v] : v;
  }

  private op(k: number, f: Keyword, arg: number | null | [number, number]): RegisterInvocation {
    return { f, value: this.wrap(k, arg === null ? null : Array.isArray(arg) ? [...arg] : arg), k, arg };
  }

  invoke(rng: Rng): RegisterInvocation {
    const k = rng.int(this.keys);
    const r = rng.next();
    if (r < 0.5) return this.op(k, READ, null);
    const cur = this.state[k];
    if (this.cas && r < 0.75 && cur !== null) {
      // Mostly the value it has now (likely to succeed), sometimes an older one (fails).
      const old = rng.chance(0.7) ? cur : 1 + rng.int(this.next);
      return this.op(k, CAS, [old, this.next++]);
    }
    return this.op(k, WRITE, this.next++);
  }

  apply(inv: RegisterInvocation, rng: Rng): Completion {
    const { k, arg } = inv;
    if (inv.f === READ) return { type: 'ok', value: this.wrap(k, this.state[k]) };
    if (rng.chance(REFUSE)) return { type: 'fail', value: inv.value, error: REFUSED };
    if (Array.isArray(arg)) {
      if (this.state[k] !== arg[0]) return { type: 'fail', value: inv.value };
      this.state[k] = arg[1];
    } else this.state[k] = arg;
    return { type: 'ok', value: inv.value };
  }

  inject(s: Script): void {
    const a = this.next++;
    const b = this.next++;
    const reader = s.slots > 1 ? 1 : 0;
    const write = (slot: number, v: number): void => {
      s.invoke(slot, WRITE, this.wrap(0, v));
      s.complete(slot, { type: 'ok', value: this.wrap(0, v) });
    };
    write(0, a);
    this.state[0] = a;
    write(0, b);
    // lost-write: the database acknowledges b but never installs it.
    if (this.anomaly === 'stale-read') this.state[0] = b;
    s.invoke(reader, READ, this.wrap(0, null));
    s.complete(reader, { type: 'ok', value: this.wrap(0, a) });
  }
}

interface KvInvocation extends Invocation {
  k: string;
  arg: string | null;
}

/**
 * Porcupine's kv: values are strings of `n;` tokens, each token unique; a put replaces a key's
 * value, an append adds a token. Puts are as frequent as appends, so values stay a few tokens long.
 */
export class KvDb implements SimDb<KvInvocation> {
  private readonly state = new Map<string, string>();
  private next = 1;
  readonly scriptOps = 6;

  constructor(
    private readonly keys: number,
    private readonly anomaly?: RegisterAnomaly,
  ) {}

  private op(k: string, f: Keyword, arg: string | null): KvInvocation {
    return { f, value: arg, extra: new EdnMap([KEY], [k]), k, arg };
  }

  invoke(rng: Rng): KvInvocation {
    const k = String(rng.int(this.keys));
    const r = rng.next();
    if (r < 0.5) return this.op(k, GET, null);
    return this.op(k, r < 0.75 ? PUT : APPEND, `${this.next++};`);
  }

  apply(inv: KvInvocation, rng: Rng): Completion {
    const cur = this.state.get(inv.k) ?? '';
    if (inv.f === GET) return { type: 'ok', value: cur };
    if (rng.chance(REFUSE)) return { type: 'fail', value: inv.arg, error: REFUSED };
    this.state.set(inv.k, inv.f === PUT ? inv.arg! : cur + inv.arg!);
    return { type: 'ok', value: inv.arg };
  }

  inject(s: Script): void {
    const a = `${this.next++};`;
    const b = `${this.next++};`;
    const key = new EdnMap([KEY], ['0']);
    const reader = s.slots > 1 ? 1 : 0;
    const put = (v: string): void => {
      s.invoke(0, PUT, v, key);
      s.complete(0, { type: 'ok', value: v });
    };
    put(a);
    this.state.set('0', a);
    put(b);
    if (this.anomaly === 'stale-read') this.state.set('0', b);
    s.invoke(reader, GET, null, key);
    s.complete(reader, { type: 'ok', value: a });
  }
}
