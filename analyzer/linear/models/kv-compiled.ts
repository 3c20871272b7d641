/**
 * The kv model compiled for one key's ops, so the search builds no strings.
 *
 * A key's value is always a concatenation of the values put and appended to it. When those
 * values form a prefix code (none is a prefix of another, as Porcupine's `"x 3 7 y"` values
 * are), every such string is exactly one sequence of them; so a state is a node in a trie of
 * value sequences: `append v` steps to a child, `put v` to the root's child, `get` compares
 * node ids (its value decoded once, up front).
 *
 * It also prunes: a get reads its node's string, which the state can only still become by
 * appending the values on the trie path to it — from the current node, or from the node of a
 * put not linearized yet — and only if appends of those values are still left to linearize.
 * When no such start exists the search may give up on the configuration at once, rather than
 * finding out at the get's completion, many ops later. Anything else — several keys in one problem,
 * values that are not a prefix code — is left to the generic model (undefined).
 */
import type { EdnValue } from '../../edn/values.js';
import { PairMap } from '../../util/int-tables.js';
import type { CompiledModel, ModelOp, OpTiming } from './model.js';

const GET = 0;
const PUT = 1;
const APPEND = 2;
const OTHER = 3;
/** A get that fits every state (nil: its result is unknown) or none (not a sequence of values). */
const ANY = -2;
const NONE = -3;

/** Per determinate append: the determinate get with a known result invoked first after it completed (-1: none). */
function nextGets(kind: Uint8Array, arg: Int32Array, timing: OpTiming): Int32Array {
  const out = new Int32Array(kind.length).fill(-1);
  const gets: number[] = [];
  for (let k = 0; k < timing.determinate; k++) if (kind[k] === GET && arg[k] !== ANY) gets.push(k);
  gets.sort((a, b) => timing.call[a] - timing.call[b]);
  for (let k = 0; k < timing.determinate; k++) {
    if (kind[k] !== APPEND) continue;
    let lo = 0;
    let hi = gets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (timing.call[gets[mid]] > timing.ret[k]) hi = mid;
      else lo = mid + 1;
    }
    if (lo < gets.length) out[k] = gets[lo];
  }
  return out;
}

function grown(a: Int32Array, fill: number): Int32Array {
  const b = new Int32Array(a.length * 2).fill(fill);
  b.set(a);
  return b;
}

/** The trie of value sequences: node 0 is the empty string. */
class Trie {
  private readonly children = new PairMap();
  private nodes = 1;
  /** Per node: its parent and the value id on the edge into it (root: -1). */
  parent: Int32Array;
  edge: Int32Array;
  /** Per node: how many puts not yet linearized set it. */
  putsLeft: Int32Array;
  constructor(capacity: number) {
    this.parent = new Int32Array(capacity).fill(-1);
    this.edge = new Int32Array(capacity).fill(-1);
    this.putsLeft = new Int32Array(capacity);
  }
  child(node: number, value: number): number {
    let c = this.children.get(node, value, -1);
    if (c < 0) {
      this.children.set(node, value, (c = this.nodes++));
      if (c >= this.parent.length) {
        this.parent = grown(this.parent, -1);
        this.edge = grown(this.edge, -1);
        this.putsLeft = grown(this.putsLeft, 0);
      }
      this.parent[c] = node;
      this.edge[c] = value;
    }
    return c;
  }
}

/**
 * One key's ops compiled. A class rather than closures, so that every key's instance shares
 * the same method functions: the search's optimised code, specialised to the call targets it
 * has seen, stays valid from one key to the next.
 */
class CompiledKv implements CompiledModel {
  readonly initial = 0;
  constructor(
    private readonly trie: Trie,
    private readonly kind: Uint8Array,
    private readonly arg: Int32Array,
    /** Per value id: how many appends of it are not yet linearized. */
    private readonly appendsLeft: Int32Array,
    private readonly nextGet: Int32Array,
  ) {}
  step(state: number, k: number): number {
    const a = this.arg[k];
    switch (this.kind[k]) {
      case GET:
        return a === state || a === ANY ? state : -1;
      case PUT:
        return a;
      case APPEND:
        return a < 0 ? state : this.trie.child(state, a);
    }
    return -1;
  }
  track(k: number, linearized: boolean): void {
    const d = linearized ? -1 : 1;
    const a = this.arg[k];
    if (this.kind[k] === PUT) this.trie.putsLeft[a] += d;
    else if (this.kind[k] === APPEND && a >= 0) this.appendsLeft[a] += d;
  }
  viable(state: number, k: number): boolean {
    const { arg, kind } = this;
    const { parent, edge, putsLeft } = this.trie;
    if (kind[k] === APPEND) {
      // The first get invoked after this append completed comes after it: it reads the
      // append's value, unless a put not yet linearized was in between.
      const g = this.nextGet[k];
      if (g < 0 || arg[k] < 0) return true;
      for (let node = arg[g]; node >= 0; node = parent[node]) if (edge[node] === arg[k] || putsLeft[node] > 0) return true;
      return arg[g] === ANY;
    }
    if (kind[k] !== GET || arg[k] === ANY) return true;
    // Walk up from the node the get reads while the edges' values can still be appended.
    for (let node = arg[k]; node >= 0; node = parent[node]) {
      if (node === state || putsLeft[node] > 0) return true;
      if (node === 0 || this.appendsLeft[edge[node]] === 0) return false;
    }
    return false;
  }
}

/**
 * The kv model compiled for `ops` (see this file's header), or undefined when they span several
 * keys or their put and append values are not a prefix code. `keyText` and `text` are kv.ts's
 * printers, so both forms see the same strings. With `timing`, a determinate append is also
 * judged against the first get invoked after it completed.
 */
export function compileKv(ops: readonly ModelOp[], keyText: (op: ModelOp) => string, text: (v: EdnValue) => string, timing?: OpTiming): CompiledModel | undefined {
  const n = ops.length;
  if (n > 0 && ops.some((op) => op.key !== ops[0].key && keyText(op) !== keyText(ops[0]))) return undefined;
  const ids = new Map<string, number>();
  for (const op of ops) {
    if (op.f !== 'put' && op.f !== 'append') continue;
    const t = text(op.value);
    if (t !== '' && !ids.has(t)) ids.set(t, ids.size);
  }
  const values = [...ids.keys()].sort();
  for (let i = 0; i + 1 < values.length; i++) if (values[i + 1].startsWith(values[i])) return undefined;
  const lengths = [...new Set(values.map((v) => v.length))].sort((a, b) => a - b);

  const trie = new Trie(Math.max(64, 4 * n));
  /** The node of a string, or NONE if it is no sequence of the values. */
  const decoded = new Map<string, number>();
  const nodeOf = (s: string): number => {
    let node = decoded.get(s);
    if (node === undefined) decoded.set(s, (node = decode(s)));
    return node;
  };
  const decode = (s: string): number => {
    let node = 0;
    for (let i = 0; i < s.length; ) {
      let id: number | undefined;
      for (const len of lengths) if ((id = ids.get(s.substr(i, len))) !== undefined) { i += len; break; }
      if (id === undefined) return NONE;
      node = trie.child(node, id);
    }
    return node;
  };

  const kind = new Uint8Array(n);
  const arg = new Int32Array(n);
  const appendsLeft = new Int32Array(values.length);
  ops.forEach((op, k) => {
    const t = op.value === null ? '' : text(op.value);
    if (op.f === 'get') {
      kind[k] = GET;
      arg[k] = op.value === null ? ANY : nodeOf(t);
    } else if (op.f === 'put') {
      kind[k] = PUT;
      arg[k] = t === '' ? 0 : trie.child(0, ids.get(t)!);
      trie.putsLeft[arg[k]]++;
    } else if (op.f === 'append') {
      kind[k] = APPEND;
      arg[k] = t === '' ? -1 : ids.get(t)!;
      if (arg[k] >= 0) appendsLeft[arg[k]]++;
    } else kind[k] = OTHER;
  });
  const nextGet = timing === undefined ? new Int32Array(n).fill(-1) : nextGets(kind, arg, timing);
  return new CompiledKv(trie, kind, arg, appendsLeft, nextGet);
}
