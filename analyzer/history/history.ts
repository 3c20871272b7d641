/**
 * A history stored column-wise: one typed array per field, so a million ops cost tens of
 * megabytes rather than a million objects. Checkers read columns directly on hot paths and
 * materialise `Op` objects (`history.op(i)`) only for reports.
 *
 * Pairing: every invocation is matched with the next completion of the same process.
 * `pair[i]` is the partner's position, or -1 (an invocation never completed, or a nemesis
 * completion with no invocation). A client completion with no open invocation — histories that
 * list only completions, as Elle's tests and many exported logs do — is taken as a whole op at
 * its place, as jepsen.history takes it: the builder inserts its invocation just before it (same
 * `:index`, `:time`, process, `:f` and value), so real-time and process orders follow from where
 * it stands, and says so once with the count.
 */
import { type EdnMap, type EdnValue, Keyword, ednEquals, ednHash } from '../edn/values.js';
import { Diagnostics, type Warning } from './diagnostics.js';
import { INFO, INVOKE, NEMESIS, NO_PROCESS, type Op, type OpInput, OP_TYPES } from './op.js';
import { pairInvocations } from './pairing.js';

export class History {
  /** Positions of client (integer-process) invocations, in order; cached. */
  private invocationCache?: Int32Array;

  constructor(
    /** The file the history came from (for messages), or a label such as `<generated>`. */
    readonly file: string,
    readonly length: number,
    readonly index: Float64Array,
    /** Nanoseconds; NaN where the op had no `:time`. */
    readonly time: Float64Array,
    /** INVOKE / OK / FAIL / INFO. */
    readonly type: Uint8Array,
    /** Integer process ids; NEMESIS (-1) and lower ids for non-integer processes (see processNames); NO_PROCESS when absent. */
    readonly process: Int32Array,
    /** Non-integer process values: id -1-k is processNames[k] (processNames[0] is `:nemesis`). */
    readonly processNames: EdnValue[],
    /** Id into fTable, or -1 when the op has no `:f`. */
    readonly f: Int32Array,
    readonly fTable: EdnValue[],
    readonly value: EdnValue[],
    /** `:error` per op (sparse). */
    readonly error: Map<number, EdnValue>,
    /** All other keys per op (sparse). */
    readonly extra: Map<number, EdnMap>,
    /** Source line (1-based) per op; 0 when unknown. */
    readonly line: Int32Array,
    readonly pair: Int32Array,
    readonly warnings: Warning[],
    /**
     * Client processes whose value is an integer outside 0..2^31-1 (negative, huge, a big
     * integer): they get ids above every ordinary process, and this maps each id to its value.
     */
    readonly oddClients: ReadonlyMap<number, EdnValue> = new Map(),
  ) {}

  /** True for ops whose process is not a client (`:nemesis` or another non-integer). */
  isNemesis(i: number): boolean {
    const p = this.process[i];
    return p < 0 && p !== NO_PROCESS;
  }

  isClient(i: number): boolean {
    return !this.isNemesis(i);
  }

  processValue(i: number): EdnValue | undefined {
    const p = this.process[i];
    if (p === NO_PROCESS) return undefined;
    return p >= 0 ? (this.oddClients.size > 0 ? (this.oddClients.get(p) ?? p) : p) : this.processNames[-1 - p];
  }

  fValue(i: number): EdnValue | undefined {
    const f = this.f[i];
    return f < 0 ? undefined : this.fTable[f];
  }

  /** The `:f` of op i as a name: a keyword's name or a string, else undefined. */
  fName(i: number): string | undefined {
    const f = this.fValue(i);
    if (f instanceof Keyword) return f.name;
    return typeof f === 'string' ? f : undefined;
  }

  /** The id of `:f` named `name` (keyword or string), or -1 if no op has it. */
  fId(name: string): number {
    for (let k = 0; k < this.fTable.length; k++) {
      const f = this.fTable[k];
      if ((f instanceof Keyword && f.name === name) || f === name) return k;
    }
    return -1;
  }

  /** The op at position i as a plain object. */
  op(i: number): Op {
    const o: Op = { index: this.index[i], type: OP_TYPES[this.type[i]], value: this.value[i] };
    if (!Number.isNaN(this.time[i])) o.time = this.time[i];
    const p = this.processValue(i);
    if (p !== undefined) o.process = p;
    const f = this.fValue(i);
    if (f !== undefined) o.f = f;
    const e = this.error.get(i);
    if (e !== undefined) o.error = e;
    const x = this.extra.get(i);
    if (x !== undefined) o.extra = x;
    return o;
  }

  *ops(): IterableIterator<Op> {
    for (let i = 0; i < this.length; i++) yield this.op(i);
  }

  /** Positions of client invocations, in history order. */
  invocations(): Int32Array {
    if (this.invocationCache === undefined) {
      let n = 0;
      for (let i = 0; i < this.length; i++) if (this.type[i] === INVOKE && this.isClient(i)) n++;
      const out = new Int32Array(n);
      n = 0;
      for (let i = 0; i < this.length; i++) if (this.type[i] === INVOKE && this.isClient(i)) out[n++] = i;
      this.invocationCache = out;
    }
    return this.invocationCache;
  }

  /**
   * How an invocation at i ended: OK, FAIL, INFO, or INFO for one never completed
   * (indeterminate). For a completion, its own type.
   */
  outcome(i: number): number {
    if (this.type[i] !== INVOKE) return this.type[i];
    const c = this.pair[i];
    return c < 0 ? INFO : this.type[c];
  }

  /** `file:line` of op i, for messages. */
  where(i: number): string {
    return this.line[i] > 0 ? `${this.file}:${this.line[i]}` : `${this.file} op ${this.index[i]}`;
  }

  /** A new History with only the ops at `positions` (kept in order, re-paired). */
  select(positions: ArrayLike<number>, file = this.file): History {
    const b = new HistoryBuilder(file, new Diagnostics(file, false));
    for (let k = 0; k < positions.length; k++) {
      const i = positions[k];
      b.add({ ...this.op(i) }, this.line[i]);
    }
    return b.build();
  }
}

/** Anything that can stand for a process when building: integer, keyword, or undefined. */
type ProcessInput = number | EdnValue | undefined;

/**
 * Accumulates ops column-wise as a reader scans, then pairs them. Readers call `add` per op
 * (or `addColumns` on the hot path) and `build` at the end.
 */
export class HistoryBuilder {
  private n = 0;
  private cap = 1024;
  private index = new Float64Array(this.cap);
  private time = new Float64Array(this.cap);
  private type = new Uint8Array(this.cap);
  private process = new Int32Array(this.cap);
  private f = new Int32Array(this.cap);
  private line = new Int32Array(this.cap);
  private values: EdnValue[] = [];
  private errors = new Map<number, EdnValue>();
  private extras = new Map<number, EdnMap>();
  private readonly fTable: EdnValue[] = [];
  private readonly fIds = new Map<unknown, number[]>();
  private readonly processNames: EdnValue[] = [Keyword.of('nemesis')];

  constructor(
    readonly file: string,
    readonly diagnostics: Diagnostics = new Diagnostics(file),
  ) {}

  get size(): number {
    return this.n;
  }

  private grow(): void {
    this.cap *= 2;
    const g = <T extends Float64Array | Uint8Array | Int32Array>(a: T, C: new (n: number) => T): T => {
      const b = new C(this.cap);
      b.set(a);
      return b;
    };
    this.index = g(this.index, Float64Array);
    this.time = g(this.time, Float64Array);
    this.type = g(this.type, Uint8Array);
    this.process = g(this.process, Int32Array);
    this.f = g(this.f, Int32Array);
    this.line = g(this.line, Int32Array);
  }

  /** Interns an `:f` value; keywords and strings by identity/value, others structurally. */
  internF(f: EdnValue | undefined): number {
    if (f === undefined) return -1;
    if (f === this.lastF) return this.lastFId; // runs of ops with one :f are the rule
    const id = this.internFSlow(f);
    if (f instanceof Keyword || typeof f === 'string') {
      this.lastF = f;
      this.lastFId = id;
    }
    return id;
  }

  private lastF: EdnValue | undefined = undefined;
  private lastFId = -1;

  private internFSlow(f: EdnValue): number {
    // Keywords, strings and numbers are their own keys; other values go by hash, and values
    // whose hashes collide share a bucket, so unequal ones never share an id.
    const structural = typeof f === 'object' && f !== null && !(f instanceof Keyword);
    const key = structural ? `#${ednHash(f)}` : f;
    let bucket = this.fIds.get(key);
    if (bucket !== undefined) for (const id of bucket) if (!structural || ednEquals(this.fTable[id], f)) return id;
    const id = this.fTable.length;
    this.fTable.push(f);
    if (bucket === undefined) this.fIds.set(key, (bucket = []));
    bucket.push(id);
    return id;
  }

  internProcess(p: ProcessInput): number {
    if (p === undefined || p === null) return NO_PROCESS;
    if (typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 0x7fffffff) return p;
    // Keywords are interned and numbers are primitives: one map lookup finds them again.
    const simple = typeof p === 'number' || typeof p === 'bigint' || typeof p === 'string' || p instanceof Keyword;
    if (simple) {
      const id = this.simpleProcesses.get(p);
      if (id !== undefined) return id;
    } else for (let k = 0; k < this.processNames.length; k++) if (ednEquals(this.processNames[k], p)) return -1 - k;
    this.processNames.push(p);
    const id = -this.processNames.length;
    if (simple) this.simpleProcesses.set(p, id);
    // Any integer is a client process (Jepsen's processes are integers; only :nemesis and other names are not).
    if ((typeof p === 'number' && Number.isInteger(p)) || typeof p === 'bigint') this.oddClientNames.push(id);
    return id;
  }

  private readonly simpleProcesses = new Map<unknown, number>([[Keyword.of('nemesis'), NEMESIS]]);
  /** Ids (negative, as interned) of integer processes outside 0..2^31-1. */
  private readonly oddClientNames: number[] = [];
  private oddClients = new Map<number, EdnValue>();

  /** One warning when `:index` goes back somewhere: the ops are taken in file order, as read. */
  private warnIndexOrder(): void {
    for (let i = 1; i < this.n; i++) {
      if (this.index[i] < this.index[i - 1]) {
        this.diagnostics.warn(this.line[i], `:index ${this.index[i]} comes after :index ${this.index[i - 1]}; the ops are taken in file order, not by :index`);
        return;
      }
    }
  }

  /** Gives integer processes outside 0..2^31-1 client ids above every ordinary one. */
  private renumberOddClients(): Map<number, EdnValue> {
    const out = new Map<number, EdnValue>();
    if (this.oddClientNames.length === 0) return out;
    let max = -1;
    for (let i = 0; i < this.n; i++) if (this.process[i] > max) max = this.process[i];
    if (max + this.oddClientNames.length > 0x7fffffff) this.diagnostics.error(0, `too many distinct processes (${this.oddClientNames.length} beyond 2^31)`);
    const renumber = new Map<number, number>();
    for (const id of this.oddClientNames) {
      renumber.set(id, ++max);
      out.set(max, this.processNames[-1 - id]!);
    }
    for (let i = 0; i < this.n; i++) {
      const to = renumber.get(this.process[i]);
      if (to !== undefined) this.process[i] = to;
    }
    return out;
  }

  /**
   * Adds one op. `index` undefined means "position in the file". `typeCode` is INVOKE/OK/FAIL/INFO.
   */
  addColumns(
    index: number | undefined,
    time: number | undefined,
    typeCode: number,
    process: number,
    fId: number,
    value: EdnValue,
    error: EdnValue | undefined,
    extra: EdnMap | undefined,
    line: number,
  ): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.index[i] = index ?? i;
    this.time[i] = time ?? NaN;
    this.type[i] = typeCode;
    this.process[i] = process;
    this.f[i] = fId;
    this.line[i] = line;
    this.values.push(value);
    if (error !== undefined) this.errors.set(i, error);
    if (extra !== undefined && extra.size > 0) this.extras.set(i, extra);
  }

  /** Adds an op object (convenient for tests and generators; readers use addColumns). */
  add(op: OpInput, line = 0): void {
    const t = OP_TYPES.indexOf(op.type);
    if (t < 0) this.diagnostics.error(line, `unknown :type ${String(op.type)}; expected :invoke, :ok, :fail or :info`);
    this.addColumns(
      op.index !== undefined && Number.isFinite(op.index) ? op.index : undefined,
      op.time,
      t,
      this.internProcess(op.process),
      this.internF(op.f),
      op.value === undefined ? null : op.value,
      op.error,
      op.extra,
      line,
    );
  }

  private where(i: number): string {
    return this.line[i] > 0 ? `line ${this.line[i]}` : `op ${this.index[i]}`;
  }

  private describeProcess(p: number): string {
    return p >= 0 ? `process ${String(this.oddClients.get(p) ?? p)}` : p === NO_PROCESS ? 'the op with no :process' : `process ${String(this.processNames[-1 - p])}`;
  }

  /** One warning for every completion taken as a whole op (an error in strict mode). */
  private warnWholeOps(unmatched: readonly number[]): void {
    const i = unmatched[0]!;
    const what = `:${OP_TYPES[this.type[i]]} for ${this.describeProcess(this.process[i])} has no open invocation`;
    const more = unmatched.length > 1 ? ` (nor do ${unmatched.length - 1} more completions)` : '';
    const each = unmatched.length > 1 ? 'each is taken' : 'taken';
    this.diagnostics.warn(this.line[i], `${what}${more}; ${each} as a whole op at its place, invoked and completed there (as jepsen.history does)`);
  }

  /** Inserts an invocation just before each of `unmatched` (ascending positions): a copy of its row. */
  private insertInvocations(unmatched: readonly number[]): void {
    const size = this.n + unmatched.length;
    const index = new Float64Array(size);
    const time = new Float64Array(size);
    const type = new Uint8Array(size);
    const process = new Int32Array(size);
    const f = new Int32Array(size);
    const line = new Int32Array(size);
    const values: EdnValue[] = new Array<EdnValue>(size);
    const errors = new Map<number, EdnValue>();
    const extras = new Map<number, EdnMap>();
    const copy = (from: number, to: number, t: number): void => {
      index[to] = this.index[from];
      time[to] = this.time[from];
      type[to] = t;
      process[to] = this.process[from];
      f[to] = this.f[from];
      line[to] = this.line[from];
      values[to] = this.values[from]!;
    };
    let out = 0;
    let next = 0;
    for (let i = 0; i < this.n; i++) {
      if (next < unmatched.length && unmatched[next] === i) {
        next++;
        copy(i, out++, INVOKE);
      }
      copy(i, out, this.type[i]);
      const e = this.errors.get(i);
      if (e !== undefined) errors.set(out, e);
      const x = this.extras.get(i);
      if (x !== undefined) extras.set(out, x);
      out++;
    }
    this.n = this.cap = size;
    this.index = index;
    this.time = time;
    this.type = type;
    this.process = process;
    this.f = f;
    this.line = line;
    this.values = values;
    this.errors = errors;
    this.extras = extras;
  }

  build(): History {
    this.warnIndexOrder();
    const oddClients = (this.oddClients = this.renumberOddClients());
    const reopened = (i: number, open: number): void =>
      this.diagnostics.warn(this.line[i], `:invoke for ${this.describeProcess(this.process[i])} while its :invoke at ${this.where(open)} is still open; treating that one as never completed`);
    let { pair, unmatched } = pairInvocations(this.process, this.type, this.n, reopened);
    if (unmatched.length > 0) {
      this.warnWholeOps(unmatched);
      this.insertInvocations(unmatched);
      // The same pairs again, now with the inserted invocations (and no warning said twice).
      pair = pairInvocations(this.process, this.type, this.n).pair;
    }
    const n = this.n;
    const cut = <T extends Float64Array | Uint8Array | Int32Array>(a: T): T => a.slice(0, n) as T;
    return new History(
      this.file,
      n,
      cut(this.index),
      cut(this.time),
      cut(this.type),
      cut(this.process),
      this.processNames,
      cut(this.f),
      this.fTable,
      this.values,
      this.errors,
      this.extras,
      cut(this.line),
      pair,
      this.diagnostics.warnings,
      oddClients,
    );
  }
}

/** Builds a History from op objects (tests, generators, the recorder). */
export function historyOf(ops: Iterable<OpInput>, file = '<memory>', strict = false): History {
  const b = new HistoryBuilder(file, new Diagnostics(file, strict));
  let line = 0;
  for (const op of ops) b.add(op, ++line);
  return b.build();
}
