/** One operation of a Jepsen history, as a plain object (materialised on demand from a History). */
import { type EdnMap, type EdnValue, Keyword } from '../edn/values.js';

export type OpType = 'invoke' | 'ok' | 'fail' | 'info';
export const OP_TYPES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info'];
/** Numeric codes for OpType as stored in History.type. */
export const INVOKE = 0;
export const OK = 1;
export const FAIL = 2;
export const INFO = 3;

/** Process ids are integers; `:nemesis` is stored as NEMESIS; other non-integer processes get ids below it. */
export const NEMESIS = -1;
/** "No process" (an op without `:process`). */
export const NO_PROCESS = -2147483648;

export interface Op {
  /** `:index`, or the op's position in the file when absent. */
  index: number;
  /** `:time` in nanoseconds since the test began, when present. */
  time?: number;
  type: OpType;
  /** Integer process, or a Keyword such as `:nemesis`; undefined when the op has none. */
  process?: number | EdnValue;
  f?: EdnValue;
  value: EdnValue;
  error?: EdnValue;
  /** Every other key of the op, in read order. */
  extra?: EdnMap;
}

/** An op as tests and generators write it: `index` defaults to the position, `value` to nil. */
export type OpInput = Omit<Op, 'index' | 'value'> & { index?: number; value?: EdnValue };

export function opTypeCode(t: OpType): number {
  return t === 'invoke' ? INVOKE : t === 'ok' ? OK : t === 'fail' ? FAIL : INFO;
}

export const typeKeywords = OP_TYPES.map((t) => Keyword.of(t));
