import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdnMap, Sym, kw, type EdnValue } from '../../analyzer/edn/values.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { historyOf } from '../../analyzer/history/history.js';
import type { OpInput } from '../../analyzer/history/op.js';
import { unhandledExceptionsOf } from '../../analyzer/checkers/unhandled-exceptions.js';

const exception = (cls: string) => new EdnMap([kw('via')], [[new EdnMap([kw('type'), kw('message')], [Sym.of(cls), 'boom'])]]);
const crashed = (process: number, ex?: EdnValue, error?: EdnValue): OpInput[] => {
  const done: OpInput = { process, type: 'info', f: kw('write'), value: 1 };
  if (ex !== undefined) done.extra = new EdnMap([kw('exception')], [ex]);
  if (error !== undefined) done.error = error;
  return [{ process, type: 'invoke', f: kw('write'), value: 1 }, done];
};

test('unhandled-exceptions: grouped by class, most frequent first, with an example', () => {
  const h = historyOf([
    ...crashed(0, exception('java.net.SocketTimeoutException')),
    ...crashed(1, exception('java.lang.NullPointerException')),
    ...crashed(2, exception('java.net.SocketTimeoutException')),
    ...crashed(3, undefined, 'java.net.ConnectException: Connection refused'),
    ...crashed(4, undefined, kw('timeout')), // a handled error: not an exception
    { process: 5, type: 'invoke', f: kw('write'), value: 1 },
    { process: 5, type: 'fail', f: kw('write'), value: 1, extra: new EdnMap([kw('exception')], [exception('java.lang.IllegalStateException')]) },
  ]);
  const r = unhandledExceptionsOf(h);
  assert.equal(r['valid?'], true);
  const ex = r.exceptions as { class: EdnValue; count: number; example: { process: number } }[];
  assert.deepEqual(ex.map((e) => [printEdn(e.class), e.count]), [
    ['java.net.SocketTimeoutException', 2],
    ['java.lang.NullPointerException', 1],
    ['java.net.ConnectException', 1],
  ]);
  assert.equal(ex[0].example.process, 0);
});

test('unhandled-exceptions: none gives just valid', () => {
  assert.deepEqual(unhandledExceptionsOf(historyOf(crashed(0, undefined, kw('timeout')))), { 'valid?': true });
});
