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
 *
 * `HistoryBuilder` (here) accumulates the columns as readers scan; the passes its `build` makes
 * over all of them before pairing are build-steps.ts's.
 */
import { type EdnMap, type EdnValue, Keyword } from '../edn/values.js';
import { Diagnostics, type Warning } from './diagnostics.js';
import { INFO, INVOKE, NO_PROCESS, type Op, type OpInput, OP_TYPES } from './op.js';
import { pairInvocations } from './pairing.js';
import { renumberOddClients, warnIndexOrder, withInvocations } from './build-steps.js';
import { ValueIds } from './value-ids.js';

/**
 * A read history, column-wise: op i's fields are `index[i]`, `time[i]`, `type[i]` (a numeric
 * code: INVOKE, OK, FAIL, INFO), `process[i]`, `f[i]`, `value[i]`…, its partner `pair[i]`.
 * Build one with `readHistory`, `historyOf` or a `HistoryBuilder`; `op(i)` gives op i as a
 * plain `Op`. A History is not modified after it is built (its arrays could be, and must not).
 */
export class History {
  /** Positions of client (integer-process) invocations, in order; cached. */
  private invocationCache?: Int32Array;

  constructor(
    /** The file the history came from (for messages), or a label such as `<generated>`. */
    readonly file: string,
    /** The number of ops (invocations and completions). */
    readonly length: number,
    /** `:index` per op (its position in the file when absent). */
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
    /** The distinct `:f` values; `f[i]` indexes it. */
    readonly fTable: EdnValue[],
    /** `:value` per op (nil when absent). */
    readonly value: EdnValue[],
    /** `:error` per op (sparse). */
    readonly error: Map<number, EdnValue>,
    /** All other keys per op (sparse). */
    readonly extra: Map<number, EdnMap>,
    /** Source line (1-based) per op; 0 when unknown. */
    readonly line: Int32Array,
    /** Position of the op's partner (its completion, or its invocation), or -1; see the file's header. */
    readonly pair: Int32Array,
    /** The warnings reading gave, in order. */
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

  /** True for ops of a client process (an integer), or with no `:process`. */
  isClient(i: number): boolean {
    return !this.isNemesis(i);
  }

  /** The `:process` of op i as read (an integer, `:nemesis`, …), or undefined when it has none. */
  processValue(i: number): EdnValue | undefined {
    const p = this.process[i];
    if (p === NO_PROCESS) return undefined;
    return p >= 0 ? (this.oddClients.size > 0 ? (this.oddClients.get(p) ?? p) : p) : this.processNames[-1 - p];
  }

  /** The `:f` of op i as read, or undefined when it has none. */
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

  /** Every op, in order, as `op(i)` gives it. */
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

/**
 * Accumulates ops column-wise as a reader scans, then pairs them. Readers call `add` per op
 * (or `addColumns` on the hot path) and `build` at the end. Problems go to `diagnostics`
 * (`HistoryError` for an unknown `:type`; warnings, errors in strict mode, for the rest).
 */
export class HistoryBuilder extends ValueIds {
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
  private oddClients = new Map<number, EdnValue>();

  constructor(
    readonly file: string,
    readonly diagnostics: Diagnostics = new Diagnostics(file),
  ) {
    super();
  }

  /** The number of ops added so far. */
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

  /**
   * Adds one op. `index` undefined means "position in the file". `typeCode` is INVOKE/OK/FAIL/INFO;
   * `process` and `fId` are ids from `internProcess` and `internF`; `line` is 1-based (0: none).
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

  /**
   * Adds an op object (convenient for tests and generators; readers use addColumns). Throws
   * `HistoryError` for a `type` that is not an OpType.
   */
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

  /**
   * Pairs the ops and returns the History, warning (an error in strict mode) about an `:index`
   * that goes back, an invocation on a process whose last one is still open, and completions
   * with no invocation (each given one, as the file's header says). Call it once.
   */
  build(): History {
    warnIndexOrder(this.index, this.line, this.n, this.diagnostics);
    const oddClients = (this.oddClients = renumberOddClients(this.process, this.n, this.oddClientNames, this.processNames, this.diagnostics));
    const reopened = (i: number, open: number): void =>
      this.diagnostics.warn(this.line[i], `:invoke for ${this.describeProcess(this.process[i])} while its :invoke at ${this.where(open)} is still open; treating that one as never completed`);
    let { pair, unmatched } = pairInvocations(this.process, this.type, this.n, reopened);
    if (unmatched.length > 0) {
      this.warnWholeOps(unmatched);
      const r = withInvocations({ n: this.n, index: this.index, time: this.time, type: this.type, process: this.process, f: this.f, line: this.line, values: this.values, errors: this.errors, extras: this.extras }, unmatched);
      this.n = this.cap = r.n;
      this.index = r.index;
      this.time = r.time;
      this.type = r.type;
      this.process = r.process;
      this.f = r.f;
      this.line = r.line;
      this.values = r.values;
      this.errors = r.errors;
      this.extras = r.extras;
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

/**
 * Builds a History from op objects (tests, generators, the recorder). `strict` makes warnings
 * (a completion with no invocation…) throw `HistoryError`, as an unknown `type` always does.
 *
 * @example
 * const h = historyOf([
 *   { process: 0, type: 'invoke', f: Keyword.of('write'), value: 1 },
 *   { process: 0, type: 'ok', f: Keyword.of('write'), value: 1 },
 * ]);
 * h.pair[0]; // 1
 */
export function historyOf(ops: Iterable<OpInput>, file = '<memory>', strict = false): History {
  const b = new HistoryBuilder(file, new Diagnostics(file, strict));
  let line = 0;
  for (const op of ops) b.add(op, ++line);
  return b.build();
}
