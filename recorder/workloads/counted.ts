/**
 * A generator that numbers its ops: `make(i, ctx)` builds the i-th op. Workloads use the count
 * for unique values (set elements, appended values) and to rotate keys, so a key's history
 * stays small enough to check.
 */
import type { GenContext, GenResult, Generator, OpTemplate } from '../generator/core.js';
import { fill } from '../generator/combinators.js';

/**
 * A generator whose `i`-th op (from `start`) is `make(i, ctx)`, filled onto a free thread; pending while none is free. Never exhausted.
 */
export function counted(make: (i: number, ctx: GenContext) => OpTemplate, start = 0): Generator {
  return {
    op(ctx: GenContext): GenResult {
      if (ctx.free.length === 0) return 'pending';
      const op = fill(make(start, ctx), ctx);
      return op === 'pending' ? op : { op, next: counted(make, start + 1) };
    },
    update(): Generator {
      return this;
    },
  };
}
