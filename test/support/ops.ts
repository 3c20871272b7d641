/** Hand-made ops for `historyOf` in checker tests. */
import { kw, type EdnValue } from '../../analyzer/edn/values.js';
import type { OpInput } from '../../analyzer/history/op.js';

/** One op: `f` by name (as a keyword), `value` nil unless given, an `:error` only when given. */
export const op = (process: number | EdnValue, type: OpInput['type'], f: string, value: EdnValue = null, error?: EdnValue): OpInput =>
  error === undefined ? { process, type, f: kw(f), value } : { process, type, f: kw(f), value, error };
