/**
 * Choosing the checker from the ops, on every fixture family: each picks the checker its
 * manifest names (fixtures/MANIFEST.md, elle-tests/manifest.json, knossos-tests/manifest.json),
 * or says what it cannot decide.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chooseChecker, choiceLine } from '../../analyzer/check/choose.js';
import { historyOf } from '../../analyzer/history/history.js';
import { readHistory } from '../../analyzer/history/read.js';

/** "linearizable --model kv" for a choice; "none: SHAPES" when there is none. */
async function chosen(file: string): Promise<string> {
  const c = chooseChecker(await readHistory(file));
  if (!('checkers' in c)) return `none: ${c.shapes}`;
  const model = c.options.model === undefined ? '' : ` --model ${String(c.options.model)}`;
  return `${c.checkers.join(',')}${model}${c.options.independent === true ? ' --independent' : ''}`;
}

const ls = (dir: string): string[] => readdirSync(dir).sort().map((n) => join(dir, n));

test('Elle: each of the 76 checks of its own tests picks the checker its manifest names', async () => {
  const manifest = JSON.parse(readFileSync('fixtures/elle-tests/manifest.json', 'utf8')) as { checker: string; history: string }[];
  const files = new Map(manifest.map((e) => [e.history, e.checker]));
  for (const [history, checker] of files) assert.equal(await chosen(join('fixtures/elle-tests', history)), checker, history);
  for (const f of ['fixtures/elle/paper-example.edn', 'fixtures/elle/si-without-g-single.edn', 'fixtures/elle-cli/list-append-gh-30.edn', 'fixtures/elle-cli/paper-example.json']) {
    assert.equal(await chosen(f), 'list-append', f);
  }
  for (const f of ['fixtures/elle-cli/rw-register.edn', 'fixtures/elle-cli/rw-register.json']) assert.equal(await chosen(f), 'rw-register', f);
});

test('Knossos: its data files pick linearizable with the model of their folder; its test histories, a register', async () => {
  for (const model of ['cas-register', 'multi-register', 'mutex']) {
    for (const verdict of ls(join('fixtures/knossos', model))) {
      for (const f of ls(verdict)) {
        // One "good" file holds no client op at all: nothing to choose from, and it says so.
        const expected = f.endsWith('mongodb-v0-ack-rollback-.edn') ? 'none: no client ops' : `linearizable --model ${model}`;
        assert.equal(await chosen(f), expected, f);
      }
    }
  }
  // The manifest says model register: these histories have no :cas, so cas-register (register plus cas) judges them alike.
  const manifest = JSON.parse(readFileSync('fixtures/knossos-tests/manifest.json', 'utf8')) as { history: string; model: string }[];
  for (const e of manifest) assert.equal(await chosen(join('fixtures/knossos-tests', e.history)), 'linearizable --model cas-register', e.history);
});

test("Porcupine's key-value histories pick linearizable with the kv model; Couchbase's registers, cas-register", async () => {
  for (const f of ls('fixtures/porcupine-kv')) assert.equal(await chosen(f), 'linearizable --model kv', f);
  for (const f of ls('fixtures/couchbase')) assert.equal(await chosen(f), 'linearizable --model cas-register', f);
});

test('Jepsen stores: the Raft register run picks linearizable in all three of its forms; the braft run, rw-register', async () => {
  for (const f of ['history.edn', 'history.txt', 'jepsen.log']) {
    assert.equal(await chosen(join('fixtures/jepsen-stores/canonical-raft', f)), 'linearizable --model cas-register', f);
  }
  assert.equal(await chosen('fixtures/jepsen-stores/braft/20241218T010101.810Z/history.edn'), 'rw-register');
});

test('the other workloads, and what no checker fits', () => {
  const ops = (f: string, invoked: unknown, done: unknown) => [
    { type: 'invoke', process: 0, f, value: invoked },
    { type: 'ok', process: 0, f, value: done },
  ];
  const of = (...xs: Record<string, unknown>[][]) => chooseChecker(historyOf(xs.flat() as never));
  const names = (c: ReturnType<typeof chooseChecker>) => ('checkers' in c ? c.checkers.join(',') : `none: ${c.shapes}`);
  assert.equal(names(of(ops('add', 1, 1), ops('read', null, [1]))), 'set-full');
  assert.equal(names(of(ops('add', 1, 1), ops('read', null, 1))), 'counter');
  assert.equal(names(of(ops('enqueue', 1, 1), ops('dequeue', null, 1))), 'queue');
  assert.equal(names(of(ops('enqueue', 1, 1), ops('drain', null, [1]))), 'total-queue');
  assert.equal(names(of(ops('transfer', { from: 0, to: 1, amount: 1 }, null), ops('read', null, null))), 'bank');
  assert.equal(names(of(ops('generate', null, 1))), 'unique-ids');
  const keyed = chooseChecker(historyOf(ops('write', [1, 2], [1, 2]).concat(ops('read', [1, null], [1, 2])) as never));
  assert.ok('checkers' in keyed);
  assert.equal(choiceLine(keyed), 'checking as linearizable --model cas-register --independent: 1 :read op, 1 :write op, values [key value]: per key (model cas-register) (pass --checker to choose)');
  assert.equal(names(of(ops('frobnicate', 1, 1), ops('frobnicate', 2, 2), ops('poke', 1, 1))), 'none: :frobnicate ×2, :poke ×1');
});
