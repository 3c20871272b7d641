/**
 * `unhandled-exceptions`: Jepsen's checker of that name. A client that throws something it does
 * not handle ends its op `:info` with the exception recorded: Jepsen stores it under
 * `:exception` as Throwable->map (`{:via [{:type java.net.SocketTimeoutException …}] …}`). We
 * also take an `:info` op's `:error` when it is such a map, or a map with `:type` / `:class`, or
 * a string naming a Java-style class (`java.net.ConnectException: Connection refused`; the class
 * is then reported as a symbol, as Jepsen prints classes). Ties in count go by class name.
 *
 * Result: `:exceptions`, groups `{:class :count :example}` by class, most frequent first (and
 * nothing when there are none). Valid (unknown only for a history with neither a client op nor an
 * exception): exceptions are information, not a verdict.
 */
import { EdnMap, type EdnRecord, type EdnValue, Sym, isRecord } from '../edn/values.js';
import type { History } from '../history/history.js';
import { INFO } from '../history/op.js';
import type { CheckResult, Checker } from '../check/checker.js';
import { className, nothingToJudge, opRecord } from '../check/results.js';

function field(v: EdnValue | undefined, name: string): EdnValue | undefined {
  if (v instanceof EdnMap) return v.kw(name);
  if (isRecord(v)) return v[name];
  return undefined;
}

const CLASS_NAME = /^((?:[a-zA-Z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)?)\b/;

/** The exception class of an `:exception` / `:error` value, or undefined if it names none. */
export function exceptionClass(v: EdnValue | undefined): EdnValue | undefined {
  if (v === undefined || v === null) return undefined;
  const via = field(v, 'via');
  if (Array.isArray(via) && via.length > 0) {
    const t = field(via[0], 'type');
    if (t !== undefined && t !== null) return t;
  }
  for (const k of ['type', 'class']) {
    const t = field(v, k);
    if (t !== undefined && t !== null) return t;
  }
  if (typeof v === 'string') {
    const m = CLASS_NAME.exec(v);
    if (m && (m[1].includes('.') || /Exception|Error/.test(m[1]))) return Sym.of(m[1]);
  }
  return undefined;
}

/**
 * The history's :info ops that ended in an exception, grouped by class (see this file's header).
 * Valid; unknown only when there is neither such an op nor any client op.
 */
export function unhandledExceptionsOf(history: History): CheckResult {
  const groups = new Map<string, { cls: EdnValue; ops: number[] }>();
  for (let i = 0; i < history.length; i++) {
    if (history.type[i] !== INFO) continue;
    const cls = exceptionClass(history.extra.get(i)?.kw('exception')) ?? exceptionClass(history.error.get(i));
    if (cls === undefined) continue;
    const key = className(cls);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { cls, ops: [] }));
    g.ops.push(i);
  }
  if (groups.size === 0) return history.invocations().length === 0 ? nothingToJudge('no client operation, so no exception to look for') : { 'valid?': true };
  const exceptions = [...groups.entries()]
    .sort((a, b) => b[1].ops.length - a[1].ops.length || (a[0] < b[0] ? -1 : 1))
    .map(([, g]): EdnRecord => {
      const example = opRecord(history, g.ops[0]);
      const ex = history.extra.get(g.ops[0])?.kw('exception');
      if (ex !== undefined) example.exception = ex;
      return { count: g.ops.length, class: g.cls, example };
    });
  return { 'valid?': true, exceptions };
}

/**
 * The `unhandled-exceptions` checker (`--checker unhandled-exceptions`): `unhandledExceptionsOf`;
 * no options, any ops.
 *
 * @example
 * const result = await check(history, [unhandledExceptions]);
 */
export const unhandledExceptions: Checker = {
  name: 'unhandled-exceptions',
  summary: 'info ops that ended in an exception, grouped by class with counts and an example (Jepsen unhandled-exceptions)',
  check: (history) => unhandledExceptionsOf(history),
  describe: (r) => (Array.isArray(r.exceptions) ? `${r.exceptions.length} exception classes` : 'no unhandled exceptions'),
};
