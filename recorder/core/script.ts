/**
 * A scripted recording: instead of generators and random faults, a scenario says which process
 * does what on which node and when the nemesis acts, so a fault's consequence is constructed,
 * not hoped for (`--workload stale-serializable-read` and the like). Every op is journaled as it
 * is invoked and as it completes, in the order they happen, exactly as the interpreter would.
 */
import { join } from 'node:path';
import { type EdnValue, kw } from '../../analyzer/edn/values.js';
import { Journal } from './journal.js';
import type { Completion, TestContext } from './types.js';

/** Records ops into `<test.dir>/history.edn` as a scenario makes them. */
export class Script {
  private readonly journal: Journal;
  private readonly t0 = process.hrtime.bigint();
  private index = 0;

  constructor(readonly test: TestContext) {
    this.journal = new Journal(join(test.dir, 'history.edn'));
  }

  /** Entries journaled so far (invocations and completions). */
  get ops(): number {
    return this.index;
  }

  private record(proc: number | 'nemesis', type: 'invoke' | Completion['type'], f: string, value: EdnValue, error?: EdnValue): void {
    const time = Number(process.hrtime.bigint() - this.t0);
    this.journal.append({ index: this.index++, time, type, process: proc === 'nemesis' ? kw('nemesis') : proc, f: kw(f), value, ...(error === undefined ? {} : { error }) });
  }

  /** Invokes `f value` as `proc`, runs `run`, and records its completion; returns it. */
  async op(proc: number | 'nemesis', f: string, value: EdnValue, run: () => Promise<Completion>): Promise<Completion> {
    this.record(proc, 'invoke', f, value);
    const c = await run();
    this.record(proc, c.type, f, c.value === undefined ? value : c.value, c.error);
    return c;
  }

  /** Closes the journal (idempotent). */
  close(): void {
    this.journal.close();
  }
}
