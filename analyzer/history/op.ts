/** One operation of a Jepsen history, as a plain object (materialised on demand from a History). */
import { type EdnMap, type EdnValue, Keyword } from '../edn/values.js';

/** An op's `:type`: an invocation, or how it completed (`info`: unknown whether it took effect). */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';
/** Every OpType, indexed by its numeric code (`OP_TYPES[INFO] === 'info'`). */
export const OP_TYPES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info'];
/** Numeric codes for OpType as stored in History.type. */
export const INVOKE = 0;
/** Code of `:ok`. */
export const OK = 1;
/** Code of `:fail`. */
export const FAIL = 2;
/** Code of `:info`. */
export const INFO = 3;

/** Process ids are integers; `:nemesis` is stored as NEMESIS; other non-integer processes get ids below it. */
export const NEMESIS = -1;
/** "No process" (an op without `:process`). */
export const NO_PROCESS = -2147483648;

/** One op of a history as a plain object (`History.op(i)`): the keys of a Jepsen op map. */
export interface Op {
  /** `:index`, or the op's position in the file when absent. */
  index: number;
  /** `:time` in nanoseconds since the test began, when present. */
  time?: number;
  /** `:type`. */
  type: OpType;
  /** Integer process, or a Keyword such as `:nemesis`; undefined when the op has none. */
  process?: number | EdnValue;
  /** `:f`, the operation's function (`:read`, `:txn`, …), when present. */
  f?: EdnValue;
  /** `:value`; nil (`null`) when absent. */
  value: EdnValue;
  /** `:error`, when present. */
  error?: EdnValue;
  /** Every other key of the op, in read order. */
  extra?: EdnMap;
}

/** An op as tests and generators write it: `index` defaults to the position, `value` to nil. */
export type OpInput = Omit<Op, 'index' | 'value'> & { index?: number; value?: EdnValue };

/** The numeric code (INVOKE, OK, FAIL, INFO) of an OpType. */
export function opTypeCode(t: OpType): number {
  return t === 'invoke' ? INVOKE : t === 'ok' ? OK : t === 'fail' ? FAIL : INFO;
}

/** The `:type` keywords, indexed by numeric code (`typeKeywords[OK]` is `:ok`). */
export const typeKeywords = OP_TYPES.map((t) => Keyword.of(t));
