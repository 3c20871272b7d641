/** Helper for sanity.test.ts: the merged verdict of several registered checkers. */
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { mergeValid, type Validity } from '../../analyzer/check/checker.js';
import type { History } from '../../analyzer/history/history.js';

export async function composeCheck(h: History, names: string[]): Promise<Validity> {
  const vs: Validity[] = [];
  for (const n of names) vs.push((await checkerNamed(n)!.check(h, {}, {}))['valid?']);
  return mergeValid(vs);
}
