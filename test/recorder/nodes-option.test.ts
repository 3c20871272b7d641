import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../analyzer/check/checker.js';
import { nodeList } from '../../recorder/cli/record.js';

test('--nodes takes a count (n1…nN) or a list of names', () => {
  assert.deepEqual(nodeList('5'), ['n1', 'n2', 'n3', 'n4', 'n5']);
  assert.deepEqual(nodeList('1'), ['n1']);
  assert.deepEqual(nodeList('db1, db2,db3'), ['db1', 'db2', 'db3']);
  assert.throws(() => nodeList('0'), (e: unknown) => e instanceof UsageError && e.message === '--nodes 0: a node count must be 1 to 64');
});
