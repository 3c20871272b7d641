/** Each reading problem gives one message with file, line and what was expected. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HistoryError } from '../../analyzer/history/diagnostics.js';
import { type ReadOptions, readHistory } from '../../analyzer/history/read.js';
import { tmpFile } from './tmp.js';

const inv = (p: number, extra = '') => `{:type :invoke, :process ${p}, :f :read, :value nil${extra}}`;
const ok = (p: number, v = 1) => `{:type :ok, :process ${p}, :f :read, :value ${v}}`;

async function rejection(file: string, options: ReadOptions = {}): Promise<string> {
  try {
    await readHistory(file, options);
  } catch (e) {
    assert.ok(e instanceof HistoryError, `expected a HistoryError, got ${String(e)}`);
    assert.equal(e.name, 'HistoryError');
    return e.message;
  }
  return 'no error';
}

async function warnings(file: string, options: ReadOptions = {}): Promise<{ ops: number; warnings: string[] }> {
  const seen: string[] = [];
  const h = await readHistory(file, { ...options, onWarning: (w) => seen.push(`${w.line}: ${w.message}`) });
  assert.deepEqual(h.warnings.map((w) => `${w.line}: ${w.message}`), seen);
  return { ops: h.length, warnings: seen };
}

test('a malformed line is an error at its line', async () => {
  const f = tmpFile('history.edn', [inv(0), '{:type :ok, :process 0, :f :read, :value}', ok(0)].join('\n') + '\n');
  assert.equal(await rejection(f), `${f}:2: malformed EDN: map has a key with no value (:value)`);
  const g = tmpFile('history.edn', [inv(0), '{:type :ok, :process 0, :f :read, :value [1 2)}'].join('\n') + '\n');
  assert.equal(await rejection(g), `${g}:2: malformed EDN: unexpected ')'`);
  const h = tmpFile('history.edn', [inv(0), ':ok'].join('\n') + '\n');
  assert.equal(await rejection(h), `${h}:2: expected an op map {:type …, :f …, :value …}, found ':'`);
});

test('an unknown or missing :type is an error', async () => {
  const f = tmpFile('history.edn', [inv(0), '{:type :okay, :process 0, :f :read, :value 1}'].join('\n') + '\n');
  assert.equal(await rejection(f), `${f}:2: unknown :type :okay; expected :invoke, :ok, :fail or :info`);
  const g = tmpFile('history.edn', '\n\n{:process 0, :f :read}\n');
  assert.equal(await rejection(g), `${g}:3: op has no :type; expected :invoke, :ok, :fail or :info`);
  const j = tmpFile('h.json', '[{"type": "invoke", "process": 0},\n {"type": "done", "process": 0}]');
  assert.equal(await rejection(j), `${j}:2: unknown "type" "done"; expected "invoke", "ok", "fail" or "info"`);
});

test('a completion with no open invocation warns, or fails in strict mode', async () => {
  const lines = [inv(1), ok(1), ok(4), inv(2), ok(2)];
  const f = tmpFile('history.edn', lines.join('\n') + '\n');
  assert.deepEqual(await warnings(f), { ops: 6, warnings: ['3: :ok for process 4 has no open invocation; taken as a whole op at its place, invoked and completed there (as jepsen.history does)'] });
  assert.equal(await rejection(f, { strict: true }), `${f}:3: :ok for process 4 has no open invocation; taken as a whole op at its place, invoked and completed there (as jepsen.history does)`);
});

test('a second invocation on a busy process warns, or fails in strict mode', async () => {
  const f = tmpFile('history.edn', [inv(3), inv(3), ok(3)].join('\n') + '\n');
  assert.deepEqual(await warnings(f), {
    ops: 3,
    warnings: ['2: :invoke for process 3 while its :invoke at line 1 is still open; treating that one as never completed'],
  });
  assert.equal(
    await rejection(f, { strict: true }),
    `${f}:2: :invoke for process 3 while its :invoke at line 1 is still open; treating that one as never completed`,
  );
});

test('a torn last line is skipped with a warning, or fails in strict mode', async () => {
  const torn = 'file ends in the middle of an op (a torn last line, as a killed recorder leaves); skipped it';
  const f = tmpFile('history.edn', [inv(0), ok(0), '{:type :invoke, :process 1, :f :wr'].join('\n'));
  assert.deepEqual(await warnings(f), { ops: 2, warnings: [`3: ${torn}`] });
  assert.equal(await rejection(f, { strict: true }), `${f}:3: ${torn}`);
  const s = tmpFile('history.edn', [inv(0), ok(0), '{:type :invoke, :process 1, :value "unfinished str'].join('\n'));
  assert.deepEqual(await warnings(s), { ops: 2, warnings: [`3: ${torn}`] });
  const v = tmpFile('knossos.edn', ['[' + inv(0), ' ' + ok(0), ' {:type :in'].join('\n'));
  assert.deepEqual(await warnings(v), { ops: 2, warnings: [`3: ${torn}`] });
  const j = tmpFile('h.json', '[{"type": "invoke", "process": 0},\n{"type": "ok", "process": 0},\n{"type": "inv');
  assert.deepEqual(await warnings(j), { ops: 2, warnings: [`3: ${torn}`] });
  const t = tmpFile('history.txt', '0\t:invoke\t:read\tnil\n0\t:ok\t:read\t3\n1\t:invoke\t:wri');
  assert.deepEqual(await warnings(t), { ops: 2, warnings: [`3: ${torn}`] });
  for (const file of [f, s, v, j, t]) {
    for (let chunkSize = 16; chunkSize <= 48; chunkSize += 3) {
      assert.deepEqual(await warnings(file, { chunkSize }), { ops: 2, warnings: [`3: ${torn}`] }, `${file} in chunks of ${chunkSize}`);
    }
  }
});

test('an op left unclosed in the middle is an error, not a torn last line', async () => {
  const f = tmpFile('history.edn', [inv(0), '{:type :ok, :process 0, :f :read, :value [1 2', inv(1), ok(1)].join('\n') + '\n');
  assert.equal(await rejection(f), `${f}:3: the op at line 2 is not closed before this line, which starts another op; expected '}'`);
  const g = tmpFile('history.edn', [inv(0), '{:type :ok, :process 0, :value "unclosed', inv(1), ok(1)].join('\n') + '\n');
  assert.equal(await rejection(g), `${g}:3: the op at line 2 is not closed before this line, which starts another op; expected '}'`);
});

test('a vector history without its closing bracket warns', async () => {
  const f = tmpFile('knossos.edn', ['[' + inv(0), ' ' + ok(0)].join('\n') + '\n');
  assert.deepEqual(await warnings(f), {
    ops: 2,
    warnings: ["3: file ends before the vector's closing ']' (a torn last line, as a killed recorder leaves); skipped it"],
  });
  const g = tmpFile('knossos.edn', ['[' + inv(0), ' ' + ok(0) + ']', '{:type :ok}'].join('\n') + '\n');
  assert.equal(await rejection(g), `${g}:3: expected the end of the file after the closing ']', found '{'`);
});

test('malformed JSON and text-log lines name their line', async () => {
  const j = tmpFile('h.json', '[{"type": "invoke", "process": 0},\n {"type": "ok" "process": 0}]');
  assert.equal(await rejection(j), `${j}:2: malformed JSON: expected ',' or '}' in an object, found '"'`);
  const t = tmpFile('history.txt', '0\t:invoke\t:read\tnil\n0\t:ok\t:read\n');
  assert.equal(await rejection(t), `${t}:2: found 3 fields; expected process, type, f, value[, error] separated by tabs`);
  const u = tmpFile('history.txt', '0\t:invoke\t:read\tnil\n0\t:done\t:read\t1\n');
  assert.equal(await rejection(u), `${u}:2: unknown type :done; expected :invoke, :ok, :fail or :info`);
});

test('a file with nothing that looks like ops names its first line and says which formats it knows', async () => {
  const f = tmpFile('notes.txt', 'hello\n');
  assert.equal(
    await rejection(f),
    `${f}:1: found no ops: this line is not an op (found 1 field; expected process, type, f, value[, error] separated by tabs), and no line has the jepsen.util marker of a Jepsen log; expected EDN op maps, a JSON array or JSON lines, or Jepsen log lines (see \`hindsight formats\`)`,
  );
  // Only marker lines, none an op: no line to blame, the same advice.
  const g = tmpFile('marker-only.log', 'INFO jepsen.util - starting\n');
  assert.match(await rejection(g), /found no ops; expected EDN op maps/);
});

test('a missing file or a directory is a clear error', async () => {
  assert.equal(await rejection('/nonexistent/history.edn'), 'cannot read /nonexistent/history.edn: no such file');
  assert.equal(await rejection('fixtures'), 'cannot read fixtures: it is a directory');
  const f = tmpFile('history.edn', inv(0) + '\n');
  assert.equal(await rejection(f, { format: 'xml' as never }), `${f}: unknown format xml; expected one of auto, edn, edn-vector, json, jepsen-log`);
});
