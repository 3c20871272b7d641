/** Checker flags merge into one command; a flag two checkers define must be declared shared by both. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Checker } from '../../analyzer/check/checker.js';
import { checkers } from '../../analyzer/checkers/registry.js';
import { mergeCheckerFlags } from '../../analyzer/check/flags.js';

const toy = (name: string, options: Checker['options']): Checker<Record<string, unknown>> => ({
  name,
  summary: name,
  options,
  check: async () => ({ 'valid?': true }),
});

test('an unshared flag defined by two checkers is refused; shared ones merge with each checker\'s help', () => {
  assert.throws(
    () => mergeCheckerFlags([toy('a', [{ flags: '--depth <n>', description: 'how deep' }]), toy('b', [{ flags: '--depth <n>', description: 'how far down', shared: true }])], new Set()),
    /^Error: checker option --depth is defined by a, b without being declared shared by each$/,
  );
  const merged = mergeCheckerFlags(
    [
      toy('a', [{ flags: '--depth <n>', description: 'how deep', shared: true }]),
      toy('b', [{ flags: '--depth <n>', description: 'how far down', shared: true }]),
      toy('c', [{ flags: '--depth <n>', description: 'how deep', shared: true }, { flags: '--only-c', description: 'c alone' }]),
    ],
    new Set(['--out']),
  );
  assert.deepEqual(merged.map((m) => [m.option.flags, m.description]), [
    ['--depth <n>', 'a, c: how deep; b: how far down'],
    ['--only-c', 'c alone'],
  ]);
});

test('the registry\'s checkers merge: every flag defined twice is declared shared', () => {
  const merged = mergeCheckerFlags(checkers.values(), new Set(['--time-limit']));
  const independent = merged.find((m) => m.option.flags === '--independent');
  assert.equal(independent?.description, 'linearizable: values are Jepsen [key value] tuples: check each key separately; set, set-full: values are [key value] tuples (Jepsen independent workloads); check each key separately');
});
