/**
 * One `hindsight bench` measurement, in a fresh process (started by measure.ts through
 * process.ts): make the history (generate it, or read the fixture), check it, and report the
 * times and this process's peak resident set, which includes the history itself (every
 * checker needs it in memory) and the checker's worker threads.
 *
 * Protocol: the case is the JSON argument; the child sends one progress message, the
 * CheckStart, when checking starts (the parent's check deadline runs from there), then its
 * ChildReport.
 */
import { Option } from 'commander';
import { type CheckResult, UNKNOWN, verdictWord } from '../check/checker.js';
import { checkerNamed } from '../checkers/registry.js';
import { describeResult } from '../check/compose.js';
import { generate } from '../gen/index.js';
import type { History } from '../history/history.js';
import { INVOKE } from '../history/op.js';
import { readHistory } from '../history/read.js';
import { isMeasuredChild, peakRssMB, serveMeasuredChild } from './process.js';
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

/** What the child tells the parent when checking starts. */
export type CheckStart = Pick<ChildReport, 'prepMs' | 'ops' | 'concurrency'>;

/**
 * Makes the case's history and checks it, calling `onCheckStart` in between; throws if the
 * checker is unknown or the fixture cannot be read (the parent's row then says error).
 */
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
    peakRssMB: peakRssMB(),
    rssBeforeCheckMB,
    verdict: verdictWord(result['valid?']),
    detail: describeResult(checker, result) || error,
  };
}

if (isMeasuredChild()) await serveMeasuredChild<BenchCase, ChildReport>((c, progress) => measure(c, progress));
