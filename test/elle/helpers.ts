/** Building small transactional histories for the Elle checker's tests. */
import { type EdnRecord, type EdnValue, kw } from '../../analyzer/edn/values.js';
import { type History, historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';

/** Micro-op shorthands: a(k, v) append, r(k, v) read, w(k, v) write. */
export const a = (k: EdnValue, v: EdnValue): EdnValue[] => [kw('append'), k, v];
export const r = (k: EdnValue, v: EdnValue): EdnValue[] => [kw('r'), k, v];
export const w = (k: EdnValue, v: EdnValue): EdnValue[] => [kw('w'), k, v];

export interface T {
  /** Micro-ops as completed (reads with their values). */
  mops: EdnValue[][];
  type?: 'ok' | 'fail' | 'info';
  process?: number;
}

const invocationOf = (mops: EdnValue[][]): EdnValue[] => mops.map((m) => ((m[0] as { name: string }).name === 'r' ? [m[0], m[1], null] : m));

/** All transactions invoked at once, then all completed: no realtime order between them. Process i for the i-th. */
export function concurrent(...txns: T[]): History {
  const ops: OpInput[] = [];
  txns.forEach((t, i) => ops.push({ process: t.process ?? i, type: 'invoke', f: kw('txn'), value: invocationOf(t.mops) }));
  txns.forEach((t, i) => {
    if (t.type === 'info') return;
    ops.push({ process: t.process ?? i, type: t.type ?? 'ok', f: kw('txn'), value: t.type === 'fail' ? invocationOf(t.mops) : t.mops });
  });
  return historyOf(ops);
}

/** Transactions one after another (each completes before the next begins). */
export function serial(...txns: T[]): History {
  const ops: OpInput[] = [];
  txns.forEach((t, i) => {
    ops.push({ process: t.process ?? i, type: 'invoke', f: kw('txn'), value: invocationOf(t.mops) });
    if (t.type !== 'info') ops.push({ process: t.process ?? i, type: t.type ?? 'ok', f: kw('txn'), value: t.type === 'fail' ? invocationOf(t.mops) : t.mops });
  });
  return historyOf(ops);
}

export const names = (xs: EdnValue | undefined): string[] => ((xs ?? []) as { name: string }[]).map((k) => k.name);

/** The first cycle reported for `type`: the :index of each op (first repeated last) and the steps. */
export function cycleOf(result: EdnRecord, type: string): { indices: number[]; steps: EdnRecord[]; explanation: string } {
  const list = (result.anomalies as EdnRecord)[type] as EdnRecord[] | undefined;
  if (list === undefined) throw new Error(`no ${type} in ${Object.keys(result.anomalies as EdnRecord).join(', ')}`);
  const c = list[0];
  return {
    indices: (c.cycle as EdnRecord[]).map((op) => op.index as number),
    steps: c.steps as EdnRecord[],
    explanation: c.explanation as string,
  };
}

export const step = (type: string, key: EdnValue, value: EdnValue, value2?: EdnValue): EdnRecord =>
  value2 === undefined ? { type: kw(type), key, value } : { type: kw(type), key, value, "value'": value2 };
