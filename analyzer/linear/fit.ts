/**
 * Whether a history's ops are what a linearizability model takes. The wrong model (or checker)
 * for the data is bad usage, not an invalid history: a list-append history checked against a
 * register fails at its first transaction and would be reported "not linearizable".
 */
import { Keyword } from '../edn/values.js';
import type { History } from '../history/history.js';
import { type Model, models } from './models/index.js';

/** Why `history`'s client ops do not fit `model`, with what would fit; undefined when they do. */
export function misfit(history: History, model: Model): string | undefined {
  const unfit = new Map<string, number>();
  const all = new Set<string>();
  for (const i of history.invocations()) {
    const f = history.fName(i) ?? '';
    all.add(f);
    if (!model.fs.includes(f)) unfit.set(f, (unfit.get(f) ?? 0) + 1);
  }
  if (unfit.size === 0) return undefined;
  const seen = [...unfit]
    .sort((a, b) => b[1] - a[1])
    .map(([f, n]) => (f === '' ? `${n} ops without :f` : `${n} :${f} ops`))
    .join(', ');
  return `model ${model.name} takes ${model.fs.map((f) => `:${f}`).join(', ')} ops, but the history has ${seen}${hint(history, all)}`;
}

/** What would fit: Elle's checkers for transactions of their micro-ops, else a model taking every :f seen. */
function hint(history: History, fs: ReadonlySet<string>): string {
  if (fs.has('txn') || fs.has('')) {
    const kinds = microOpKinds(history);
    if (kinds.has('append')) return '; these are list-append transactions: try --checker list-append';
    if (kinds.has('w') || kinds.has('r')) return '; these are rw-register transactions: try --checker rw-register';
  }
  const fits = [...models.values()].filter((m) => [...fs].every((f) => m.fs.includes(f)));
  return fits.length > 0 ? `; try --model ${fits.map((m) => m.name).join(' or --model ')}` : '';
}

/** The micro-op names (`append`, `r`, `w`, `read`, …) of the history's first transactions. */
function microOpKinds(history: History): Set<string> {
  const out = new Set<string>();
  const inv = history.invocations();
  for (let j = 0; j < inv.length && j < 1000; j++) {
    const v = history.value[inv[j]!];
    if (!Array.isArray(v)) continue;
    for (const m of v) if (Array.isArray(m) && m[0] instanceof Keyword) out.add(m[0].name);
  }
  return out;
}
