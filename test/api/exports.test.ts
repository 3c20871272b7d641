/**
 * The public entry exports exactly what docs/api.md documents: every name in its Reference
 * section (a bullet starting with the name in backticks), no more and no fewer. Type-only
 * exports leave no trace at run time, so the full list comes from the compiler; the run-time
 * module must then hold exactly the value ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import * as api from '../../analyzer/index.js';
import { historyOf } from '../../analyzer/history/history.js';

const root = resolve(import.meta.dirname, '../..');

function documented(): string[] {
  const md = readFileSync(join(root, 'docs', 'api.md'), 'utf8');
  const reference = md.slice(md.indexOf('\n## Reference\n'));
  assert.ok(reference.length > 20, 'docs/api.md has a Reference section');
  return [...reference.matchAll(/^- `([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]);
}

let exportsMemo: { name: string; value: boolean }[] | undefined;

/** Every name analyzer/index.ts exports, values and types, as the compiler sees them (one program, a few seconds). */
function exported(): { name: string; value: boolean }[] {
  exportsMemo ??= exportsOfEntry();
  return exportsMemo;
}

function exportsOfEntry(): { name: string; value: boolean }[] {
  const entry = join(root, 'analyzer', 'index.ts');
  const program = ts.createProgram([entry], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true, types: ['node'] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  assert.ok(source !== undefined);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  assert.ok(moduleSymbol !== undefined);
  return checker.getExportsOfModule(moduleSymbol).map((s) => {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    // A class is both; an export of a type only (`export type { … }`) has no value at run time.
    const typeOnly = s.declarations?.some((d) => ts.isTypeOnlyImportOrExportDeclaration(d)) ?? false;
    return { name: s.name, value: !typeOnly && (target.flags & ts.SymbolFlags.Value) !== 0 };
  });
}

test('api: analyzer/index.ts exports exactly the names docs/api.md documents', () => {
  const docs = documented();
  assert.equal(new Set(docs).size, docs.length, `a name documented twice: ${docs.filter((n, i) => docs.indexOf(n) !== i).join(', ')}`);
  const names = exported().map((e) => e.name);
  assert.deepEqual([...names].sort(), [...docs].sort());
});

test('api: the module holds exactly the value exports, none undefined', () => {
  const values = exported().filter((e) => e.value).map((e) => e.name).sort();
  assert.deepEqual(Object.keys(api).sort(), values);
  for (const [name, v] of Object.entries(api)) assert.notEqual(v, undefined, name);
});

test('api: every registry checker and model is exported as an object', () => {
  const objects = new Set<unknown>(Object.values(api));
  for (const [name, c] of api.checkers) assert.ok(objects.has(c), `checker ${name} is not exported`);
  for (const [name, m] of api.models) assert.ok(objects.has(m), `model ${name} is not exported`);
});

test('api: check rejects an empty list and an unknown name with UsageError', async () => {
  const history = await api.readHistory(join(root, 'fixtures', 'knossos', 'cas-register', 'bad', 'bad-analysis.edn'));
  await assert.rejects(api.check(history, []), api.UsageError);
  await assert.rejects(api.check(history, ['no-such']), (e: unknown) => e instanceof api.UsageError && /unknown checker no-such; known: bank, /.test(e.message));
});

test('api: checkModel refuses a model whose ops the history lacks, and judges nothing without an :ok op', async () => {
  const history = await api.readHistory(join(root, 'fixtures', 'knossos', 'cas-register', 'bad', 'bad-analysis.edn'));
  assert.throws(() => api.checkModel(history, api.mutexModel), (e: unknown) => e instanceof api.UsageError && /model mutex takes :acquire, :release ops/.test(e.message));
  assert.equal(api.checkModel(history, api.casRegisterModel)['valid?'], false);
  const unfinished = historyOf([{ process: 0, type: 'invoke', f: api.Keyword.of('read'), value: null }]);
  assert.equal(api.checkModel(unfinished, api.registerModel)['valid?'], api.UNKNOWN);
});
