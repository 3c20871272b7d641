/**
 * A suite file, read and judged strictly: `{:name "sanity", :defaults {…}, :tests [{…} …],
 * :matrix {:workload [...] :nemesis [...]}, :exclude [{…}], :tiers {:sanity {:budget 120}}}`
 * (or the same as JSON). Every test ends with every field set: its own, else the suite's
 * `:defaults`, else `hindsight record`'s defaults. Each problem is one `SuiteFileError` at its line.
 */
import { backendFlags, loadBackends, backendNamed, backendNames } from '../core/backends.js';
import { parseGroups } from '../nemesis/targets.js';
import { type SuiteTest, type TestFields, SuiteFileError, aName, complete, mapEntries, readFields, shown } from './fields.js';
import type { Located } from './located.js';
import { expandMatrices } from './matrix.js';
import { TIERS, type Tier } from './tiers.js';

export type { SuiteTest } from './fields.js';

/** A whole suite as read from its file. */
export interface Suite {
  readonly name: string;
  readonly tests: readonly SuiteTest[];
  /** Seconds each tier's run should take, where the file gives one. */
  readonly budgets: Readonly<Partial<Record<Tier, number>>>;
}

const TOP_KEYS = ['name', 'description', 'defaults', 'tests', 'matrix', 'exclude', 'tiers'];

function readTiers(at: Located): Partial<Record<Tier, number>> {
  const out: Partial<Record<Tier, number>> = {};
  for (const [name, k, v] of mapEntries(':tiers', at)) {
    if (!(TIERS as readonly string[]).includes(name)) throw new SuiteFileError(k.line, `:tiers: unknown tier :${name}; expected one of ${TIERS.map((t) => ':' + t).join(', ')}`);
    for (const [field, fk, fv] of mapEntries(`:tiers :${name}`, v)) {
      if (field !== 'budget') throw new SuiteFileError(fk.line, `:tiers :${name}: unknown key :${field}; expected :budget`);
      if (typeof fv.value !== 'number' || !(fv.value > 0) || !Number.isFinite(fv.value)) throw new SuiteFileError(fv.line, `:tiers :${name} :budget ${shown(fv)}: expected a positive number of seconds`);
      out[name as Tier] = fv.value;
    }
  }
  return out;
}

/** Checks a test's db, workload, faults and bugs against the backends the recorder has. */
async function checkAgainstBackends(t: SuiteTest): Promise<void> {
  await loadBackends();
  const at = `test ${t.name}`;
  const b = backendNamed(t.db);
  if (b === undefined) throw new SuiteFileError(t.line, `${at}: unknown :db ${t.db}; expected one of ${backendNames().join(', ')}`);
  if (!b.workloads.includes(t.workload)) throw new SuiteFileError(t.line, `${at}: unknown :workload ${t.workload}; the ${t.db} db has ${b.workloads.join(', ')}`);
  for (const f of t.nemesis) if (b.faultRefusals?.[f] !== undefined) throw new SuiteFileError(t.line, `${at}: the ${t.db} db cannot do ${f} faults: ${b.faultRefusals[f]}`);
  for (const f of t.nemesis) if (!b.faults.includes(f)) throw new SuiteFileError(t.line, `${at}: unknown :nemesis fault ${f}; the ${t.db} db has ${b.faults.join(', ') || 'none'}`);
  const bugs = b.bugs ?? [];
  for (const x of t.bug) if (!bugs.includes(x)) throw new SuiteFileError(t.line, `${at}: unknown :bug ${x}; the ${t.db} db has ${bugs.join(', ') || 'none'}`);
  for (const f of Object.keys(t.nemesisTargets ?? {})) if (!t.nemesis.includes(f)) throw new SuiteFileError(t.line, `${at}: :nemesis-targets :${f} is not one of its faults (:nemesis ${t.nemesis.join(' ') || 'none'})`);
  if (t.groups !== undefined) {
    try {
      parseGroups(t.groups, t.nodes ?? b.defaultNodes);
    } catch (e) {
      throw new SuiteFileError(t.line, `${at}: ${(e as Error).message.replace(/^--groups/, ':groups')}`);
    }
  }
  const flags = backendFlags(b);
  for (const [name, value] of Object.entries(t.options)) {
    const flag = flags.get(name);
    if (flag === undefined) throw new SuiteFileError(t.line, `${at}: unknown :options :${name}; the ${t.db} db has ${[...flags.keys()].map((k) => ':' + k).join(' ') || 'none'}`);
    if (flag.takesValue ? typeof value === 'boolean' : typeof value !== 'boolean')
      throw new SuiteFileError(t.line, `${at}: :options :${name} ${String(value)}: expected ${flag.takesValue ? 'a value (string or number)' : 'true or false'}`);
  }
}

/** The suite `root` (the file's one value) describes; throws `SuiteFileError` for the first problem. */
export async function suiteOf(root: Located): Promise<Suite> {
  let name: string | undefined;
  let defaults: TestFields = {};
  let tests: Located | undefined;
  let matrix: Located | undefined;
  let exclude: Located | undefined;
  let budgets: Partial<Record<Tier, number>> = {};
  for (const [key, k, v] of mapEntries('the suite', root)) {
    if (!TOP_KEYS.includes(key)) throw new SuiteFileError(k.line, `unknown key :${key}; expected one of ${TOP_KEYS.map((x) => ':' + x).join(' ')}`);
    if (key === 'name') name = aName(':name', v);
    else if (key === 'description' && typeof v.value !== 'string') throw new SuiteFileError(v.line, `:description ${shown(v)}: expected a string`);
    else if (key === 'defaults') defaults = readFields(':defaults', v, DEFAULTABLE);
    else if (key === 'tests') tests = v;
    else if (key === 'matrix') matrix = v;
    else if (key === 'exclude') exclude = v;
    else if (key === 'tiers') budgets = readTiers(v);
  }
  if (name === undefined || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new SuiteFileError(root.line, 'the suite has no :name of letters, digits and . _ -; expected e.g. :name "sanity"');
  const out: SuiteTest[] = [];
  if (tests !== undefined) {
    if (tests.items === undefined) throw new SuiteFileError(tests.line, `:tests ${shown(tests)}: expected a vector of test maps`);
    for (const t of tests.items) out.push(complete(readFields(':tests', t), defaults, t.line));
  }
  if (exclude !== undefined && matrix === undefined) throw new SuiteFileError(exclude.line, ':exclude without a :matrix; expected :exclude beside the :matrix whose tests it removes');
  if (matrix !== undefined) out.push(...expandMatrices(matrix, exclude, defaults));
  if (out.length === 0) throw new SuiteFileError(root.line, 'the suite has no tests; expected :tests or a :matrix');
  const seen = new Map<string, number>();
  for (const t of out) {
    const before = seen.get(t.name);
    if (before !== undefined) throw new SuiteFileError(t.line, `test ${t.name} is named twice (first at line ${before}); expected distinct test names`);
    seen.set(t.name, t.line);
    await checkAgainstBackends(t);
  }
  return { name, tests: out, budgets };
}

/** Fields `:defaults` may give (every test field but its name). */
const DEFAULTABLE = ['db', 'workload', 'nemesis', 'nemesis-interval', 'time-limit', 'concurrency', 'nodes', 'bug', 'seeds', 'rate', 'op-timeout', 'expect', 'tier', 'options', 'nemesis-targets', 'groups'];
