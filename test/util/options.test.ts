/** The number-option parsers every CLI shares: exact messages, and an empty value is no number. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finiteNumber, integerAtLeast, numberAtLeast, numberList, positiveNumber } from '../../analyzer/util/options.js';

test('an empty or blank value is refused, not read as 0', () => {
  assert.throws(() => integerAtLeast('--seed', '', 0), { name: 'UsageError', message: '--seed must be an integer ≥ 0, got ' });
  assert.throws(() => numberAtLeast('--rate', '  ', 0), { name: 'UsageError', message: '--rate must be a number ≥ 0, got   ' });
  assert.throws(() => finiteNumber('--ops', ''), { name: 'UsageError', message: '--ops must be a number, got ' });
  assert.equal(integerAtLeast('--seed', '0', 0), 0);
  assert.equal(integerAtLeast('--seed', 0, 0), 0);
});

test('each parser names the flag and the value it refused', () => {
  assert.throws(() => positiveNumber('--time-limit', '0', 'seconds'), { message: '--time-limit must be a positive number of seconds, got 0' });
  assert.throws(() => finiteNumber('--anomaly-at', 'half'), { message: '--anomaly-at must be a number, got half' });
  assert.equal(finiteNumber('--anomaly-at', '-0.5'), -0.5);
  assert.equal(finiteNumber('--ops', undefined), undefined);
});

test('a number list judges each item and refuses an empty list', () => {
  const ints = (raw: string): number[] => numberList('--sizes', raw, (f, x) => integerAtLeast(f, x, 1));
  assert.deepEqual(ints('1_000, 10000,'), [1000, 10000]);
  assert.throws(() => ints(' , '), { message: '--sizes needs at least one number' });
  assert.throws(() => ints('100,0'), { message: '--sizes must be an integer ≥ 1, got 0' });
});
