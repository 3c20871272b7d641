/**
 * Turns one op's fields, as a scanner read them, into a row of the HistoryBuilder's columns,
 * checking what must hold (a known `:type`, an integer `:index`, a numeric `:time`). EDN ops
 * come from `OpScanner` (op-scanner.ts), which sorts the standard keys (`:index :time :type
 * :process :f :value :error`) into fields by their bytes; every other key is kept in the op's
 * `extra` map, in read order.
 *
 * JSON ops use the same keys as strings. JSON has no keywords, so the JSON convention of
 * elle-cli is applied: `"type"`, `"f"` and a string `"process"` are keywords, and in a
 * transaction value (`[["append", 253, 1], ["r", "x", null]]`) each micro-op's function and a
 * string key are keywords. Everything else stays as JSON gave it. With that, the JSON and EDN
 * versions of elle-cli's histories read as equal Histories.
 */
import { printEdn, toJson } from '../../edn/print.js';
import { EdnMap, type EdnValue, Keyword, kw } from '../../edn/values.js';
import type { Diagnostics } from '../diagnostics.js';
import type { HistoryBuilder } from '../history.js';
import { FAIL, INFO, INVOKE, OK } from '../op.js';
import type { OpFields } from './op-scanner.js';

const T_INVOKE = kw('invoke');
const T_OK = kw('ok');
const T_FAIL = kw('fail');
const T_INFO = kw('info');

/** The end of every message about an op's `:type`. */
export const TYPE_EXPECTED = 'expected :invoke, :ok, :fail or :info';

/** The numeric code of a `:type` keyword (`:ok` → OK), or -1 for any other value. */
export function typeCodeOf(v: EdnValue): number {
  if (v === T_INVOKE) return INVOKE;
  if (v === T_OK) return OK;
  if (v === T_FAIL) return FAIL;
  if (v === T_INFO) return INFO;
  return -1;
}

/** A JSON string standing for a keyword becomes one; anything else is left alone. */
function keywordize(v: EdnValue): EdnValue {
  return typeof v === 'string' ? Keyword.of(v) : v;
}

/** A JSON transaction `[[f, k, v], …]` with string micro-op functions gets keyword functions and keys. */
export function jsonTxn(v: EdnValue): EdnValue {
  if (!Array.isArray(v) || v.length === 0) return v;
  for (const m of v) if (!Array.isArray(m) || m.length < 2 || m.length > 3 || typeof m[0] !== 'string') return v;
  return v.map((m) => {
    const mop = m as EdnValue[];
    const out = mop.slice();
    out[0] = Keyword.of(mop[0] as string);
    if (typeof out[1] === 'string') out[1] = Keyword.of(out[1]);
    return out;
  });
}

/**
 * Checks each op the readers read and adds it to a HistoryBuilder: `addFields` for EDN,
 * `addJson` for JSON, `add` for the log reader. Each throws `HistoryError` (through the
 * diagnostics) for an op with no or an unknown `:type`, a non-integer `:index` or a
 * non-numeric `:time`.
 */
export class OpSink {
  constructor(
    private readonly builder: HistoryBuilder,
    private readonly diagnostics: Diagnostics,
  ) {}

  /** Ops added so far. */
  get count(): number {
    return this.builder.size;
  }

  /** Adds an op read by the OpScanner (EDN keys already sorted into fields). */
  addFields(o: OpFields, line: number): void {
    const type = o.type;
    if (type === undefined) this.diagnostics.error(line, `op has no :type; ${TYPE_EXPECTED}`);
    const code = typeCodeOf(type);
    if (code < 0) this.diagnostics.error(line, `unknown :type ${printEdn(type)}; ${TYPE_EXPECTED}`);
    const extra = o.extraK === undefined ? undefined : new EdnMap(o.extraK, o.extraV!);
    this.add(o.index, o.time, code, o.process, o.f, o.value, o.error, extra, line);
  }

  /** Adds an op from a JSON object's keys and values, applying the JSON keyword convention. */
  addJson(keys: string[], vals: EdnValue[], line: number): void {
    let index: EdnValue | undefined;
    let time: EdnValue | undefined;
    let type: EdnValue | undefined;
    let process: EdnValue | undefined;
    let f: EdnValue | undefined;
    let value: EdnValue = null;
    let error: EdnValue | undefined;
    let extraK: EdnValue[] | undefined;
    let extraV: EdnValue[] | undefined;
    for (let i = 0; i < keys.length; i++) {
      const v = vals[i];
      switch (keys[i]) {
        case 'index': index = v; break;
        case 'time': time = v; break;
        case 'type': type = v; break;
        case 'process': process = keywordize(v); break;
        case 'f': f = keywordize(v); break;
        case 'value': value = jsonTxn(v); break;
        case 'error': error = v; break;
        default:
          if (extraK === undefined) {
            extraK = [];
            extraV = [];
          }
          extraK.push(Keyword.of(keys[i]));
          extraV!.push(v);
      }
    }
    if (type === undefined) this.diagnostics.error(line, `op has no "type"; expected "invoke", "ok", "fail" or "info"`);
    const code = typeof type === 'string' ? typeCodeOf(Keyword.of(type)) : -1;
    if (code < 0) this.diagnostics.error(line, `unknown "type" ${JSON.stringify(toJson(type))}; expected "invoke", "ok", "fail" or "info"`);
    this.add(index, time, code, process, f, value, error, extraK === undefined ? undefined : new EdnMap(extraK, extraV!), line);
  }

  /** Adds an op whose type is already known (the text-log reader). */
  add(
    index: EdnValue | undefined,
    time: EdnValue | undefined,
    typeCode: number,
    process: EdnValue | undefined,
    f: EdnValue | undefined,
    value: EdnValue,
    error: EdnValue | undefined,
    extra: EdnMap | undefined,
    line: number,
  ): void {
    const b = this.builder;
    let idx: number | undefined;
    if (index !== undefined) {
      if (typeof index !== 'number' || !Number.isInteger(index)) {
        this.diagnostics.error(line, `:index must be an integer, found ${printEdn(index)}`);
      }
      idx = index;
    }
    let t: number | undefined;
    if (time !== undefined && time !== null) {
      if (typeof time === 'number') t = time;
      else if (typeof time === 'bigint') t = Number(time);
      else this.diagnostics.error(line, `:time must be a number of nanoseconds, found ${printEdn(time)}`);
    }
    const p = typeof process === 'number' && Number.isInteger(process) && process >= 0 && process <= 0x7fffffff ? process : b.internProcess(process);
    b.addColumns(idx, t, typeCode, p, f === undefined ? -1 : b.internF(f), value, error, extra, line);
  }
}
