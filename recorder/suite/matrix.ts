/**
 * Generated tests: `:matrix {:workload [...] :nemesis [...]}` makes one test per combination of
 * the alternatives (each test named by them, `register-partition`, `set-kill+pause`,
 * `list-append-none`), `:with {…}` gives every test it makes the same fields, and `:exclude
 * [{…}]` drops the combinations that match one of its maps. A matrix may be one map or a vector.
 */
import { type SuiteTest, type TestFields, SuiteFileError, TEST_KEYS, complete, mapEntries, readField, readFields, shown } from './fields.js';
import type { Located } from './located.js';

/** Fields a matrix may vary: every test field but the name, the seeds (which already multiply runs) and the backend options (give those in :with or :defaults). */
const DIMENSIONS = TEST_KEYS.filter((k) => k !== 'name' && k !== 'seeds' && k !== 'options' && k !== 'nemesis-targets');
const FIXED = TEST_KEYS.filter((k) => k !== 'name');

interface Choice {
  readonly fields: TestFields;
  readonly label: string;
}

/** How an alternative reads in a generated name: `partition`, `kill+pause`, `none`, `3`. */
function label(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.join('+');
  return String(v);
}

/** The tests one matrix map makes, before exclusion. */
function expandOne(at: Located, defaults: TestFields): SuiteTest[] {
  let prefix: string | undefined;
  let fixed: TestFields = {};
  const dims: Choice[][] = [];
  for (const [name, k, v] of mapEntries(':matrix', at)) {
    if (name === 'name') {
      if (typeof v.value !== 'string' || v.value === '') throw new SuiteFileError(v.line, `:matrix :name ${shown(v)}: expected a string (the generated tests' names start with it)`);
      prefix = v.value;
    } else if (name === 'with') fixed = readFields(':matrix :with', v, FIXED);
    else if (DIMENSIONS.includes(name)) {
      if (v.items === undefined || v.items.length === 0) throw new SuiteFileError(v.line, `:matrix :${name} ${shown(v)}: expected a vector of one or more alternatives`);
      dims.push(v.items.map((alt) => {
        const fields = readField(name, alt);
        return { fields, label: label(Object.values(fields)[0]) };
      }));
    } else throw new SuiteFileError(k.line, `:matrix: unknown key :${name}; expected :name, :with or one of ${DIMENSIONS.map((d) => ':' + d).join(' ')}`);
  }
  if (dims.length === 0) throw new SuiteFileError(at.line, ':matrix varies nothing; expected a field with a vector of alternatives, e.g. :workload ["register" "set"]');
  let combos: Choice[][] = [[]];
  for (const d of dims) combos = combos.flatMap((c) => d.map((choice) => [...c, choice]));
  return combos.map((c) => {
    const fields: TestFields = { ...fixed };
    for (const choice of c) Object.assign(fields, choice.fields);
    fields.name = [...(prefix === undefined ? [] : [prefix]), ...c.map((x) => x.label)].join('-');
    return complete(fields, defaults, at.line);
  });
}

const same = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b) ? [...a].sort().join('\u0000') === [...b].sort().join('\u0000') && a.length === b.length : a === b;

/** True when `t` has every field `e` gives (lists compared as sets). */
function matches(t: SuiteTest, e: TestFields): boolean {
  return Object.entries(e).every(([k, v]) => same((t as unknown as Record<string, unknown>)[k], v));
}

/**
 * The tests `matrix` makes (one map or a vector of them), less those an `exclude` map matches.
 * An exclude map that matches no generated test is refused: it is most likely a typo.
 */
export function expandMatrices(matrix: Located, exclude: Located | undefined, defaults: TestFields): SuiteTest[] {
  const maps = matrix.items ?? [matrix];
  let tests = maps.flatMap((m) => expandOne(m, defaults));
  if (exclude === undefined) return tests;
  if (exclude.items === undefined) throw new SuiteFileError(exclude.line, `:exclude ${shown(exclude)}: expected a vector of maps`);
  for (const e of exclude.items) {
    const fields = readFields(':exclude', e, FIXED);
    const kept = tests.filter((t) => !matches(t, fields));
    if (kept.length === tests.length) throw new SuiteFileError(e.line, `:exclude ${shown(e)} matches no test of the :matrix; expected field values the matrix generates`);
    tests = kept;
  }
  return tests;
}
