/**
 * One measurement, in a fresh process (started by measure.ts): make the history (generate it,
 * or read the fixture), check it, and report the times and this process's peak resident set.
 *
 * A fresh process per case is what makes the memory figure honest: `maxRSS` is the peak of
 * this process alone, so nothing an earlier case allocated (or a heap that never shrank)
 * counts, and the checker's worker threads (piscina threads live in this process) do count.
 * The peak includes the history itself, which every checker needs in memory.
 *
 * Protocol: the case is JSON in argv[2]; the child sends `{phase: 'check', prepMs, ops, …}`
 * when checking starts (the parent's deadline runs from there) and `{report}` or `{error}` at the end.
 */
import { Option } from 'commander';
import { type CheckResult, UNKNOWN, verdictWord } from '../check/checker.js';
import { checkerNamed } from '../checkers/registry.js';
import { describeResult } from '../check/compose.js';
import { generate } from '../gen/index.js';
import type { History } from '../history/history.js';
import { INVOKE } from '../history/op.js';
import { readHistory } from '../history/read.js';
import type { BenchCase, ChildReport } from './types.js';

const MB = 1024 * 1024;

/** The most client ops in flight at once: the concurrency the history really had. */
export function peakInFlight(h: History): number {
  let open = 0;
  let peak = 0;
  for (let i = 0; i < h.length; i++) {
    if (!h.isClient(i)) continue;
    if (h.type[i] === INVOKE) peak = Math.max(peak, ++open);
    else if (h.pair[i] >= 0) open--;
  }
  return peak;
}

/** The checker's option defaults, as commander would fill them in for `hindsight check`. */
function optionDefaults(name: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of checkerNamed(name)?.options ?? []) {
    if (o.default !== undefined) out[new Option(o.flags).attributeName()] = o.default;
  }
  return out;
}


export type CheckStart = Pick<ChildReport, 'prepMs' | 'ops' | 'concurrency'>;

export async function measure(c: BenchCase, onCheckStart: (s: CheckStart) => void = () => {}): Promise<ChildReport> {
  const checker = checkerNamed(c.checker);
  if (checker === undefined) throw new Error(`unknown checker ${c.checker}`);
  const t0 = performance.now();
  let history: History;
  let concurrency: number;
  if (c.source.kind === 'gen') {
    history = generate(c.source.gen).history;
    concurrency = c.source.gen.concurrency;
  } else {
    history = await readHistory(c.source.file);
    concurrency = peakInFlight(history);
  }
  const t1 = performance.now();
  const rssBeforeCheckMB = process.memoryUsage().rss / MB;
  onCheckStart({ prepMs: t1 - t0, ops: history.length, concurrency });
  const result = await checker.check(history, { ...optionDefaults(c.checker), ...c.options }, {});
  const t2 = performance.now();
  const error = result['valid?'] === UNKNOWN && typeof result.error === 'string' ? result.error : '';
  return {
    ops: history.length,
    concurrency,
    prepMs: t1 - t0,
    checkMs: t2 - t1,
    // resourceUsage().maxRSS is in kilobytes.
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    rssBeforeCheckMB,
    verdict: verdictWord(result['valid?']),
    detail: describeResult(checker, result) || error,
  };
}

async function main(): Promise<void> {
  const send = (msg: unknown): Promise<void> => new Promise((resolve) => process.send?.(msg, () => resolve()) ?? resolve());
  try {
    const c = JSON.parse(process.argv[2] ?? '') as BenchCase;
    const report = await measure(c, (s) => void send({ phase: 'check', ...s }));
    await send({ report });
  } catch (e) {
    await send({ error: e instanceof Error ? e.message : String(e) });
  }
  // Checkers' thread pools may linger; the measurement is done.
  process.exit(0);
}

if (process.send !== undefined && process.argv[2]?.startsWith('{')) {
  // A parent that dies or is interrupted takes its measurement with it.
  process.on('disconnect', () => process.exit(1));
  void main();
}
