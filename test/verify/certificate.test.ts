/**
 * Certificates: every linearizable certificate of a random history verifies; an order with two
 * neighbouring ops swapped verifies exactly when it is still a linearization (the brute-force
 * test suite's witness replay says), so a swap that breaks it is rejected; and through the CLI,
 * Knossos's histories certified and verified, a tampered certificate and another history refused.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { check } from '../../analyzer/index.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { EdnMap, type EdnRecord, type EdnValue } from '../../analyzer/edn/values.js';
import { historyOf } from '../../analyzer/history/history.js';
import { modelNamed } from '../../analyzer/linear/models/index.js';
import { problemsOf } from '../../analyzer/linear/problem.js';
import { verifyLinear } from '../../analyzer/verify/linear.js';
import { witnessHolds } from '../linear/brute.js';
import { registerHistoryArb } from '../linear/support/register-histories.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

/** The evidence as a certificate file carries it: printed and read back. */
const asRead = (e: EdnRecord): EdnMap => parseEdn(printEdn(e)) as EdnMap;

for (const name of ['register', 'cas-register'] as const) {
  test(`${name}: every certificate verifies; a swap of two neighbours verifies exactly when it is still a linearization`, async () => {
    const model = modelNamed(name)!;
    let swaps = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(registerHistoryArb(name === 'cas-register'), fc.constantFrom('any', 'absent'), async (ops, nil) => {
        const h = historyOf(ops);
        let evidence: EdnRecord | undefined;
        const r = await check(h, ['linearizable'], { model: name, nil }, { certify: (_c, e) => (evidence = e) });
        if (r['valid?'] !== true && r['valid?'] !== false) return;
        assert.ok(evidence !== undefined);
        const v = verifyLinear(h, asRead(evidence));
        assert.ok(v.holds, `${v.holds ? '' : v.why}\n${JSON.stringify(ops)}`);
        if (r['valid?'] !== true) return;
        const key = (evidence.keys as EdnRecord[])[0];
        const order = key.order as number[];
        const [problem] = problemsOf(h, false, nil);
        const idOf = new Map<number, number>();
        for (let id = 0; id < problem.n; id++) idOf.set(h.index[problem.invoke[id]], id);
        for (let j = 0; j + 1 < order.length; j++) {
          const swapped = [...order];
          [swapped[j], swapped[j + 1]] = [swapped[j + 1], swapped[j]];
          const altered = asRead({ ...evidence, keys: [{ ...key, order: swapped }] as EdnValue[] });
          const expected = witnessHolds(problem, model, model.init(undefined), swapped.map((x) => idOf.get(x)!));
          const got = verifyLinear(h, altered);
          assert.equal(got.holds, expected, `${JSON.stringify(swapped)} ${got.holds ? '' : got.why}\n${JSON.stringify(ops)}`);
          swaps++;
          if (!got.holds) rejected++;
        }
      }),
      { numRuns: 1500, seed: 777 + name.length },
    );
    assert.ok(swaps > 200 && rejected > 50, `${swaps} swaps, ${rejected} rejected`);
  });
}

test('check --certificate and verify through the CLI: Knossos good and bad hold; a tampered order, a wrong :op, another history are refused', async () => {
  const dir = tempDir();
  const good = 'fixtures/knossos/cas-register/good/memstress3-0.edn';
  const bad = 'fixtures/knossos/cas-register/bad/cas-failure.edn';
  const cg = join(dir, 'good.cert.edn');
  const cb = join(dir, 'bad.cert.edn');
  assert.equal((await runCli(['check', good, '--checker', 'linearizable', '--init', '0', '--certificate', cg], { analyzer: true })).code, 0);
  assert.equal((await runCli(['check', bad, '--checker', 'linearizable', '--init', '0', '--certificate', cb], { analyzer: true })).code, 1);
  const ok = await runCli(['verify', good, cg], { analyzer: true });
  assert.deepEqual([ok.code, ok.out], [0, 'the certificate holds: linearizable: 1 key with an order replayed (231 ops)\n']);
  const okBad = await runCli(['verify', bad, cb], { analyzer: true });
  assert.deepEqual([okBad.code, okBad.out], [0, "the certificate holds: linearizable: 1 key whose failing op no order found could take\n"]);
  const other = await runCli(['verify', bad, cg], { analyzer: true });
  assert.equal(other.code, 1);
  assert.match(other.out, /^the certificate does not hold: the certificate is about other bytes than fixtures\/knossos\/cas-register\/bad\/cas-failure\.edn \(SHA-256 [0-9a-f]{12}…, the file's [0-9a-f]{12}…\)\n$/);
  // The order's last two ops swapped: a write of the value a later read depends on, moved.
  const cert = parseEdn(readFileSync(cg, 'utf8')) as EdnMap;
  const lin = (cert.kw('evidence') as EdnMap).kw('linearizable') as EdnMap;
  const entry = (lin.kw('keys') as EdnMap[])[0];
  const order = entry.kw('order') as number[];
  const h = await import('../../analyzer/history/read.js').then((m) => m.readHistory(good));
  const [problem] = problemsOf(h, false);
  const idOf = new Map<number, number>();
  for (let id = 0; id < problem.n; id++) idOf.set(h.index[problem.invoke[id]], id);
  const model = modelNamed('cas-register')!;
  let j = 0;
  let swapped: number[] = order;
  for (; j + 1 < order.length; j++) {
    swapped = [...order];
    [swapped[j], swapped[j + 1]] = [swapped[j + 1], swapped[j]];
    if (!witnessHolds(problem, model, model.init(parseEdn('0')), swapped.map((x) => idOf.get(x)!))) break;
  }
  const text = readFileSync(cg, 'utf8').replace(`:order [${order.join(' ')}]`, `:order [${swapped.join(' ')}]`);
  assert.notEqual(text, readFileSync(cg, 'utf8'));
  const tampered = join(dir, 'tampered.edn');
  writeFileSync(tampered, text);
  const t = await runCli(['verify', good, tampered], { analyzer: true });
  assert.equal(t.code, 1);
  // The moved op fails where it now stands, or the one after it can no longer follow.
  assert.match(t.out, new RegExp(`^the certificate does not hold: key nil: op (${swapped[j]} \\(position ${j}\\)|${swapped[j + 1]} \\(position ${j + 1}\\)) (cannot follow: .*|completed before op \\d+ was invoked, yet comes after it)\\n$`));
  const wrongOp = readFileSync(cb, 'utf8').replace(/:op \d+/, ':op -1');
  writeFileSync(tampered, wrongOp);
  const w = await runCli(['verify', bad, tampered], { analyzer: true });
  assert.equal(w.code, 1);
  assert.equal(w.out, 'the certificate does not hold: key nil: :op -1 is not an :ok op of this key\n');
  const two = await runCli(['check', good, bad, '--checker', 'linearizable', '--certificate', join(dir, 'x.edn')], { analyzer: true });
  assert.equal(two.code, 3);
  assert.equal(two.err, 'hindsight: --certificate takes one history (it writes one certificate file)\n');
});

test('a key decided by the unique-values procedure whose explaining search ran out carries its contradiction, which verify says it cannot check', async () => {
  // 22 overlapping unique writes and a read of 999: decided at once, too hard to search for paths.
  const lines: string[] = [];
  for (let p = 0; p < 22; p++) lines.push(`{:type :invoke, :process ${p}, :f :write, :value ${p + 1}}`);
  lines.push('{:type :invoke, :process 22, :f :read, :value nil}');
  for (let p = 0; p < 22; p++) lines.push(`{:type :ok, :process ${p}, :f :write, :value ${p + 1}}`);
  lines.push('{:type :ok, :process 22, :f :read, :value 999}');
  const dir = tempDir();
  const file = join(dir, 'hard.edn');
  const cert = join(dir, 'hard.cert');
  writeFileSync(file, lines.join('\n') + '\n');
  assert.equal((await runCli(['check', file, '--checker', 'linearizable', '--init', '0', '--certificate', cert], { analyzer: true })).code, 1);
  assert.match(readFileSync(cert, 'utf8'), /:paths \[\], :contradiction "process 22's read of 999 \(index 45\) needs the register to hold 999, which no op sets"/);
  const v = await runCli(['verify', file, cert], { analyzer: true });
  assert.deepEqual([v.code, v.out], [1, "the certificate does not hold: key nil: the verdict rests on the unique-values procedure's contradiction, which verify cannot check yet (no order to replay): process 22's read of 999 (index 45) needs the register to hold 999, which no op sets\n"]);
});
