/**
 * The classes of malformed input of issue #14 that the reader meets byte by byte: deep nesting,
 * bytes that are not UTF-8, control bytes in keywords and symbols, binary garbage, text that
 * would break a one-line message, and a whole history on one line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCheck } from '../../analyzer/cli/check.js';
import { readHistory } from '../../analyzer/history/read.js';
import { MAX_NESTING } from '../../analyzer/edn/atoms.js';
import { oneLine } from '../../analyzer/util/one-line.js';
import { tmpFile } from './tmp.js';

async function check(file: string, opts: Record<string, unknown>): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCheck([file], { quiet: true, ...opts } as never, (s) => out.push(s), (s) => err.push(s));
  return { code, out, err };
}

async function rejection(file: string, opts: Parameters<typeof readHistory>[1] = {}): Promise<string> {
  try {
    await readHistory(file, opts);
  } catch (e) {
    assert.equal((e as Error).name, 'HistoryError', String(e));
    return (e as Error).message;
  }
  throw new Error(`${file} was read without complaint`);
}

const op = (type: string, f: string, value: string) => `{:type :${type}, :process 0, :f :${f}, :value ${value}}`;
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const NESTING = `values nest more than ${MAX_NESTING} levels deep; expected at most ${MAX_NESTING} (see docs/formats.md)`;

test(`values nested ${MAX_NESTING} deep are read and checked; one level more is bad input with its line, never a stack overflow`, async () => {
  const deep = nested(MAX_NESTING);
  const ok = tmpFile('deep.edn', [op('invoke', 'write', deep), op('ok', 'write', deep), op('invoke', 'read', 'nil'), op('ok', 'read', nested(MAX_NESTING - 1))].join('\n') + '\n');
  const r = await check(ok, { checker: 'linearizable', json: true });
  assert.equal(r.code, 1, r.err.join('\n'));

  for (const depth of [MAX_NESTING + 1, 5000, 100_000]) {
    const edn = tmpFile('deeper.edn', `${op('invoke', 'read', 'nil')}\n${op('ok', 'read', nested(depth))}\n`);
    const e = await check(edn, { checker: 'linearizable' });
    assert.equal(e.code, 3);
    assert.deepEqual(e.err, [`${edn}:2: malformed EDN: ${NESTING}`]);
    const json = tmpFile('deeper.json', `[{"type": "invoke", "process": 0, "f": "read", "value": null},\n {"type": "ok", "process": 0, "f": "read", "value": ${nested(depth)}}]\n`);
    const j = await check(json, { checker: 'linearizable' });
    assert.equal(j.code, 3);
    assert.deepEqual(j.err, [`${json}:2: malformed JSON: ${NESTING}`]);
  }
  // Maps, sets, tags and discards nest too.
  for (const [open, close] of [['{:a ', '}'], ['#{', '}'], ['#t ', ''], ['#_ 1 [', ']']]) {
    const f = tmpFile('deep-forms.edn', `${op('ok', 'read', open.repeat(MAX_NESTING + 1) + '1' + close.repeat(MAX_NESTING + 1))}\n`);
    assert.equal(await rejection(f), `${f}:1: malformed EDN: ${NESTING}`, open);
  }
});

test('bytes that are not UTF-8 are bad input with their line; --lossy-utf8 reads them as U+FFFD with one warning counting them', async () => {
  // "a\xff" and "a\xfe" would both decode to "a\ufffd": a stale read that checks valid.
  const edn = Buffer.concat([
    Buffer.from(`${op('invoke', 'write', '"a')}`.slice(0, -1)),
    Buffer.from([0xff]),
    Buffer.from('"}\n'),
    Buffer.from(`{:type :ok, :process 0, :f :write, :value "a`),
    Buffer.from([0xff]),
    Buffer.from('"}\n{:type :invoke, :process 0, :f :read, :value nil}\n{:type :ok, :process 0, :f :read, :value "a'),
    Buffer.from([0xfe]),
    Buffer.from('"}\n'),
  ]);
  const f = tmpFile('latin1.edn', edn);
  const r = await check(f, { checker: 'linearizable' });
  assert.equal(r.code, 3);
  assert.deepEqual(r.err, [`${f}:1: byte 0xff is not UTF-8; expected a UTF-8 text file (pass --lossy-utf8 to read such bytes as U+FFFD)`]);

  const warnings: string[] = [];
  const h = await readHistory(f, { lossyUtf8: true, onWarning: (w) => warnings.push(`${w.line}: ${w.message}`) });
  assert.equal(h.length, 4);
  assert.deepEqual(warnings, ['1: 3 byte sequences that are not UTF-8 were read as U+FFFD (--lossy-utf8); values that differ only there compare equal']);
  assert.match(await rejection(f, { lossyUtf8: true, strict: true }), /:1: 3 byte sequences that are not UTF-8 were read as U\+FFFD/);

  // JSON, a keyword, an overlong form, a surrogate, and a Jepsen log's op line.
  const cases: [string, Buffer, number, string][] = [
    ['bad.json', Buffer.concat([Buffer.from('[{"type": "invoke", "process": 0, "f": "read", "value": null},\n{"type": "ok", "process": 0, "f": "read", "value": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]\n')]), 2, '0xc3'],
    ['kw.edn', Buffer.concat([Buffer.from('{:type :ok, :process 0, :f :r'), Buffer.from([0x80]), Buffer.from(', :value 1}\n')]), 1, '0x80'],
    ['overlong.edn', Buffer.concat([Buffer.from(`${op('ok', 'read', '1')}\n{:type :ok, :process 0, :f :read, :value "`), Buffer.from([0xc0, 0xaf]), Buffer.from('"}\n')]), 2, '0xc0'],
    ['surrogate.edn', Buffer.concat([Buffer.from('{:type :ok, :process 0, :f :read, :value "'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}\n')]), 1, '0xed'],
    ['history.txt', Buffer.concat([Buffer.from('3\t:invoke\t:write\t"a"\n3\t:ok\t:write\t"'), Buffer.from([0xe2, 0x82]), Buffer.from('"\n')]), 2, '0xe2'],
  ];
  for (const [name, bytes, line, byte] of cases) {
    const g = tmpFile(name, bytes);
    assert.equal(await rejection(g), `${g}:${line}: byte ${byte} is not UTF-8; expected a UTF-8 text file (pass --lossy-utf8 to read such bytes as U+FFFD)`, name);
  }
});

test('a character split across read chunks is UTF-8, not an error', async () => {
  // 16-byte chunks cut every multi-byte character somewhere in this file.
  const text = Array.from({ length: 40 }, (_, i) => `${op('invoke', 'write', `"é€𝄞${i}"`)}\n${op('ok', 'write', `"é€𝄞${i}"`)}`).join('\n') + '\n';
  const f = tmpFile('multibyte.edn', text);
  for (const chunkSize of [16, 17, 18, 19, 1 << 20]) {
    const h = await readHistory(f, { chunkSize });
    assert.equal(h.length, 80);
  }
  // A character cut by the end of the file is not (where an op belongs, or in a string).
  const torn = tmpFile('torn-char.edn', Buffer.concat([Buffer.from(`${op('ok', 'read', '1')}\n`), Buffer.from([0xf0, 0x9d])]));
  assert.match(await rejection(torn, { chunkSize: 16 }), /:2: expected an op map \{:type …, :f …, :value …\}, found byte 0xf0$/);
  const tornString = tmpFile('torn-string.edn', Buffer.concat([Buffer.from(`${op('ok', 'read', '1')}\n{:type :ok, :process 0, :f :read, :value "`), Buffer.from([0xf0, 0x9d])]));
  assert.match(await rejection(tornString, { chunkSize: 16 }), /:2: byte 0xf0 is not UTF-8/);
});

test('NUL and other control bytes cannot be part of a keyword, symbol or number', async () => {
  for (const [name, text, found] of [
    ['nul-kw.edn', '{:type :ok, :process 0, :f :re\u0000ad, :value 1}\n', 'byte 0x00'],
    ['esc-sym.edn', '{:type :ok, :process 0, :f :read, :value ab\u001bc}\n', 'byte 0x1b'],
    ['del-num.edn', '{:type :ok, :process 0, :f :read, :value 12\u007f}\n', 'byte 0x7f'],
    ['vec-kw.edn', '{:type :ok, :process 0, :f :txn, :value [[:r\u0001 1 nil]]}\n', 'byte 0x01'],
  ]) {
    const f = tmpFile(name, text);
    assert.equal(await rejection(f), `${f}:1: malformed EDN: unexpected ${found}`, name);
  }
});

test('binary garbage names its first line and what was expected', async () => {
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256));
  const f = tmpFile('garbage.bin', bytes);
  const r = await check(f, { checker: 'linearizable' });
  assert.equal(r.code, 3);
  assert.equal(r.err.length, 1);
  assert.equal(
    r.err[0],
    `${f}:1: found no ops: this line holds binary data, not text, and no line has the jepsen.util marker of a Jepsen log; expected EDN op maps, a JSON array or JSON lines, or Jepsen log lines (see \`hindsight formats\`)`,
  );
});

test('messages stay on one line: what they echo is escaped, and a long value is cut saying how much was left out', async () => {
  // A JSON key holding an escaped newline and a right-to-left override, echoed in the message.
  const f = tmpFile('key.json', '{"type": "invoke", "process": 0, "f": "read", "value": null, "a\\nb\\u202ec" 1}\n');
  const r = await check(f, { checker: 'linearizable' });
  assert.equal(r.code, 3);
  assert.deepEqual(r.err, [`${f}:1: malformed JSON: expected ':' after the key "a\\nb\\u202ec", found '1'`]);

  // A 3 MB value in an unknown :type is cut in the message.
  const big = 'x'.repeat(3_000_000);
  const g = tmpFile('big-type.edn', `{:type :${big}, :process 0, :f :read, :value nil}\n`);
  const e = await check(g, { checker: 'linearizable' });
  assert.equal(e.code, 3);
  assert.equal(e.err.length, 1);
  assert.ok(e.err[0]!.length < 2100, `message of ${e.err[0]!.length} characters`);
  assert.match(e.err[0]!, new RegExp(`^${g.replace(/[/.]/g, '\\$&')}:1: .*x… 3\\.0 MB more$`));

  assert.equal(oneLine('tab\there\r\n\u0000\u2066'), 'tab\\there\\r\\n\\u0000\\u2066');
  assert.equal(oneLine('abcdef', 3), 'abc… 3 bytes more');
});

test('a whole history on one line reads as the same ops, with lines counted right', async () => {
  // JSON's one-array-on-one-line form (elle-cli writes these) and EDN ops joined by spaces;
  // the second line holds a bad op, which must be reported on line 2.
  const ops = Array.from({ length: 20_000 }, (_, i) => `{"type": "${i % 2 === 0 ? 'invoke' : 'ok'}", "process": 0, "f": "write", "value": ${i >> 1}}`);
  const json = tmpFile('one-line.json', `[${ops.join(', ')}]\n`);
  assert.equal((await readHistory(json, { chunkSize: 4096 })).length, 20_000);
  const edn = Array.from({ length: 20_000 }, (_, i) => op(i % 2 === 0 ? 'invoke' : 'ok', 'write', String(i >> 1))).join(' ');
  const f = tmpFile('one-line.edn', `${edn}\n${edn} {:type :okay}\n`);
  assert.equal(await rejection(f, { chunkSize: 4096 }), `${f}:2: unknown :type :okay; expected :invoke, :ok, :fail or :info`);
});

test('a history.txt comment line that is not UTF-8 is bad input like any other line of it (found by the fuzz test)', async () => {
  const bytes = Buffer.concat([Buffer.from([0x3b, 0x80, 0x00]), Buffer.from('3\t:invoke\t:read\tnil\n3\t:ok\t:read\tnil\n')]);
  const f = tmpFile('history.txt', bytes);
  assert.equal(await rejection(f, { strict: true }), `${f}:1: byte 0x80 is not UTF-8; expected a UTF-8 text file (pass --lossy-utf8 to read such bytes as U+FFFD)`);
});
