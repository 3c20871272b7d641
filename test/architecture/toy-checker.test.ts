/**
 * docs/architecture.md, recipe "A checker": a toy `Checker` (reads must never return a
 * forbidden value, `--forbidden <n>`, default 0) with name, summary, one option, `:unknown`
 * through `nothingToJudge` when no read completed, `opRecord` evidence and `describe`; run
 * through the library's `check` alone and composed with a registered checker, and its flag
 * through the CLI's `mergeCheckerFlags` collision rule.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CheckResult, type Checker, type EdnRecord, Keyword, UNKNOWN, UsageError, check, stats } from '../../analyzer/index.js';
import { nothingToJudge, opRecord } from '../../analyzer/check/results.js';
import { mergeCheckerFlags } from '../../analyzer/check/flags.js';
import { type History, historyOf } from '../../analyzer/history/history.js';
import { OK, type OpInput } from '../../analyzer/history/op.js';

interface ForbiddenOptions {
  /** `--forbidden <n>`, parsed by the option's `parse` (compose parses a string given to `check`). */
  forbidden?: number;
}

/** The option's parser: a UsageError naming the flag for anything but an integer. */
function parseForbidden(raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n)) throw new UsageError(`--forbidden must be an integer, got ${raw}`);
  return n;
}

const noForbiddenReads: Checker<ForbiddenOptions> = {
  name: 'toy-no-forbidden-reads',
  summary: 'no :ok :read returns the --forbidden value (toy, for docs/architecture.md)',
  options: [
    {
      flags: '--forbidden <n>',
      description: 'the value no read may return',
      parse: parseForbidden,
      default: 0,
    },
  ],
  check(history: History, options: ForbiddenOptions): CheckResult {
    const forbidden = options.forbidden ?? 0;
    let reads = 0;
    const bad: EdnRecord[] = [];
    for (let i = 0; i < history.length; i++) {
      if (history.type[i] !== OK || !history.isClient(i) || history.fName(i) !== 'read') continue;
      reads++;
      if (history.value[i] === forbidden) bad.push(opRecord(history, i));
    }
    if (reads === 0) return nothingToJudge('no :read completed :ok, so nothing was checked', { 'read-count': 0 });
    return { 'valid?': bad.length === 0, 'read-count': reads, forbidden, bad };
  },
  describe(r: CheckResult): string {
    if (r['valid?'] === true) return `${String(r['read-count'])} reads, none forbidden`;
    if (r['valid?'] === false) return `${(r.bad as EdnRecord[]).length} of ${String(r['read-count'])} reads returned ${String(r.forbidden)}`;
    return String(r.error);
  },
};

const kw = (name: string): Keyword => Keyword.of(name);

function history(rows: ReadonlyArray<readonly [number, OpInput['type'], string, number | null]>): History {
  return historyOf(rows.map(([process, type, f, value], i): OpInput => ({ process, type, f: kw(f), value, time: i * 10 })));
}

const withBadRead = history([
  [0, 'invoke', 'write', 1],
  [0, 'ok', 'write', 1],
  [1, 'invoke', 'read', null],
  [1, 'ok', 'read', 1],
  [1, 'invoke', 'read', null],
  [1, 'ok', 'read', 0],
]);

test('toy checker alone: the bad read is the evidence, as an op record; describe says so', async () => {
  const r = await check(withBadRead, [noForbiddenReads]);
  assert.equal(r['valid?'], false);
  assert.equal(r['read-count'], 2);
  assert.equal(r.forbidden, 0);
  assert.deepEqual(r.bad, [{ index: 5, time: 50, type: kw('ok'), process: 1, f: kw('read'), value: 0 }]);
  assert.equal(noForbiddenReads.describe!(r), '1 of 2 reads returned 0');
});

test('toy checker alone: its option reaches it by its camelCase name, strings parsed as the CLI gives them', async () => {
  const r = await check(withBadRead, [noForbiddenReads], { forbidden: 7 });
  assert.equal(r['valid?'], true);
  assert.deepEqual(r.bad, []);
  assert.equal(noForbiddenReads.describe!(r), '2 reads, none forbidden');
  const one = await check(withBadRead, [noForbiddenReads], { forbidden: '1' });
  assert.equal(one['valid?'], false);
  assert.deepEqual((one.bad as EdnRecord[]).map((b) => b.index), [3]);
  await assert.rejects(check(withBadRead, [noForbiddenReads], { forbidden: 'x' }), (e: unknown) => e instanceof UsageError && e.message === '--forbidden must be an integer, got x');
});

test('toy checker alone: nothing to judge is :unknown with the reason, never valid', async () => {
  const writesOnly = history([
    [0, 'invoke', 'write', 1],
    [0, 'ok', 'write', 1],
    [1, 'invoke', 'read', null],
    [1, 'fail', 'read', null],
  ]);
  const r = await check(writesOnly, [noForbiddenReads]);
  assert.deepEqual(r, { 'read-count': 0, 'valid?': UNKNOWN, error: 'no :read completed :ok, so nothing was checked' });
  assert.equal(noForbiddenReads.describe!(r), 'no :read completed :ok, so nothing was checked');
});

test('toy checker composed with a registered one: worst verdict, each result under its name', async () => {
  const r = await check(withBadRead, [noForbiddenReads, 'stats']);
  assert.equal(r['valid?'], false);
  assert.deepEqual(Object.keys(r).sort(), ['stats', 'toy-no-forbidden-reads', 'valid?']);
  const toy = r['toy-no-forbidden-reads'] as CheckResult;
  assert.equal(toy['valid?'], false);
  assert.deepEqual((toy.bad as EdnRecord[]).map((b) => b.index), [5]);
  const s = r.stats as CheckResult;
  assert.equal(s['valid?'], true);
  assert.equal(s.count, 3);
  assert.equal(s['ok-count'], 3);
  // The same registered checker given as an object gives the same result.
  assert.deepEqual(await check(withBadRead, [noForbiddenReads, stats]), r);

  // Unknown (nothing to judge) under valid: the composition is unknown, not valid.
  const writesOnly = history([
    [0, 'invoke', 'write', 1],
    [0, 'ok', 'write', 1],
  ]);
  const u = await check(writesOnly, [noForbiddenReads, 'stats']);
  assert.equal(u['valid?'], UNKNOWN);
  assert.equal((u['toy-no-forbidden-reads'] as CheckResult)['valid?'], UNKNOWN);
  assert.equal((u.stats as CheckResult)['valid?'], true);
});

test('toy checker composed: a crash becomes :unknown under its name, the others still judged', async () => {
  const crashing: Checker = { name: 'toy-crash', summary: 'throws', check: () => { throw new Error('boom'); } };
  const r = await check(withBadRead, [crashing, 'stats']);
  assert.equal(r['valid?'], UNKNOWN);
  assert.deepEqual(r['toy-crash'], { 'valid?': UNKNOWN, error: 'toy-crash crashed: boom' });
  assert.equal((r.stats as CheckResult)['valid?'], true);
});

/** A second toy checker defining the same `--forbidden` flag, shared or not. */
function twin(shared: boolean | undefined): Checker<ForbiddenOptions> {
  const option = { flags: '--forbidden <n>', description: 'a value no write may carry', ...(shared === undefined ? {} : { shared }) };
  return { ...noForbiddenReads, name: 'toy-no-forbidden-writes', options: [option] };
}

const asRecordChecker = (c: Checker<ForbiddenOptions>): Checker<Record<string, unknown>> => c as unknown as Checker<Record<string, unknown>>;

test('toy checker flags: a flag another checker defines unshared is refused when the CLI is built', () => {
  const message = 'checker option --forbidden is defined by toy-no-forbidden-reads, toy-no-forbidden-writes without being declared shared by each';
  assert.throws(() => mergeCheckerFlags([noForbiddenReads, twin(undefined)].map(asRecordChecker), new Set()), { message });
  // Shared by one only is still a collision.
  assert.throws(() => mergeCheckerFlags([noForbiddenReads, twin(true)].map(asRecordChecker), new Set()), { message });
  const sharedReads: Checker<ForbiddenOptions> = { ...noForbiddenReads, options: noForbiddenReads.options!.map((o) => ({ ...o, shared: true })) };
  assert.throws(() => mergeCheckerFlags([sharedReads, twin(false)].map(asRecordChecker), new Set()), { message });
});

test('toy checker flags: declared shared by both, one flag serves both, its help naming each meaning', () => {
  const sharedReads: Checker<ForbiddenOptions> = { ...noForbiddenReads, options: noForbiddenReads.options!.map((o) => ({ ...o, shared: true })) };
  const merged = mergeCheckerFlags([sharedReads, twin(true)].map(asRecordChecker), new Set());
  assert.equal(merged.length, 1);
  assert.equal(merged[0]!.option.flags, '--forbidden <n>');
  assert.equal(merged[0]!.option, sharedReads.options![0]);
  assert.equal(merged[0]!.description, 'toy-no-forbidden-reads: the value no read may return; toy-no-forbidden-writes: a value no write may carry');
  // A flag the command itself takes is left to the command, so no collision either.
  assert.deepEqual(mergeCheckerFlags([noForbiddenReads, twin(undefined)].map(asRecordChecker), new Set(['--forbidden'])), []);
  // Alone, an unshared flag is fine.
  assert.deepEqual(
    mergeCheckerFlags([asRecordChecker(noForbiddenReads)], new Set()).map((m) => [m.option.flags, m.description]),
    [['--forbidden <n>', 'the value no read may return']],
  );
});
