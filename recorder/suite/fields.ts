/**
 * The fields of one suite test (a `record` option set plus what the suite needs: seeds, the
 * expected verdict, the tier) and how each is judged. Every check names the line of the value
 * and what was expected, as one message (`SuiteFileError`), so a typo in a suite file costs
 * one reading of one line.
 */
import { EdnMap, type EdnValue, Keyword } from '../../analyzer/edn/values.js';
import { printEdn } from '../../analyzer/edn/print.js';
import { oneLine } from '../../analyzer/util/one-line.js';
import type { Located } from './located.js';
import { TIERS, type Tier } from './tiers.js';
import { parseTarget } from '../nemesis/targets.js';

/** A problem in a suite file at a line; the CLI prints `FILE:LINE: message` and exits 3. */
export class SuiteFileError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'SuiteFileError';
  }
}

/** The verdicts a test may expect. */
export const EXPECTATIONS = ['valid', 'invalid'] as const;
/** One of `EXPECTATIONS`. */
export type Expectation = (typeof EXPECTATIONS)[number];

/** One test's fields, each optional until defaults are applied. */
export interface TestFields {
  name?: string;
  db?: string;
  workload?: string;
  nemesis?: string[];
  nemesisInterval?: number;
  timeLimit?: number;
  concurrency?: number;
  nodes?: string[];
  bug?: string[];
  seeds?: number[];
  rate?: number;
  opTimeout?: number;
  expect?: Expectation;
  tier?: Tier;
  /** The backend's own `record` flags by name (`:serializable-reads true`, `:subnet "10.78.0"`). */
  options?: Record<string, OptionValue>;
  /** Where each fault strikes (`:nemesis-targets {:kill "leader"}`), as `record --nemesis-targets`. */
  nemesisTargets?: Record<string, string>;
  /** Server groups, as `record --groups` (`"n1,n2:n3,n4,n5"`). */
  groups?: string;
}

/** A backend option's value in a suite file. */
export type OptionValue = string | number | boolean;

/** A field's value at its line, printed short for a message. */
export function shown(v: Located): string {
  return oneLine(printEdn(v.value), 60);
}

/** The name a map key gives: `:time-limit` (EDN) or `"time-limit"` (JSON); undefined for any other key. */
export function keyName(k: Located): string | undefined {
  if (k.value instanceof Keyword) return k.value.name;
  return typeof k.value === 'string' ? k.value : undefined;
}

/** A keyword or string as its name (`:valid`, `"valid"`), else undefined. */
function nameOf(v: EdnValue): string | undefined {
  return v instanceof Keyword ? v.name : typeof v === 'string' ? v : undefined;
}

const fail = (at: Located, what: string): never => {
  throw new SuiteFileError(at.line, what);
};

/** A name (keyword or string). */
export function aName(field: string, at: Located): string {
  const n = nameOf(at.value);
  if (n === undefined || n === '') return fail(at, `${field} ${shown(at)}: expected a name (a keyword or a string)`);
  return n;
}

/** A name, or a vector of names; `none` and `[]` are the empty list. */
function names(field: string, at: Located): string[] {
  if (at.items === undefined) {
    const n = aName(field, at);
    return n === 'none' ? [] : [n];
  }
  return at.items.map((i) => aName(field, i)).filter((n) => n !== 'none');
}

function number(field: string, at: Located, ok: (n: number) => boolean, what: string): number {
  const v = at.value;
  if (typeof v !== 'number' || !ok(v)) return fail(at, `${field} ${shown(at)}: expected ${what}`);
  return v;
}

const positive = (n: number): boolean => Number.isFinite(n) && n > 0;
const intAtLeast = (min: number) => (n: number): boolean => Number.isInteger(n) && n >= min;

function oneOf<T extends string>(field: string, at: Located, allowed: readonly T[]): T {
  const n = nameOf(at.value);
  if (n === undefined || !(allowed as readonly string[]).includes(n)) return fail(at, `${field} ${shown(at)}: expected one of ${allowed.map((a) => ':' + a).join(', ')}`);
  return n as T;
}

/** How each field is read, by its name in the file. */
const READERS: Readonly<Record<string, (f: TestFields, at: Located) => void>> = {
  name: (f, at) => {
    if (typeof at.value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(at.value)) fail(at, `:name ${shown(at)}: expected a string of letters, digits and . _ + - (it names the run's store directory)`);
    f.name = at.value as string;
  },
  db: (f, at) => void (f.db = aName(':db', at)),
  workload: (f, at) => void (f.workload = aName(':workload', at)),
  nemesis: (f, at) => void (f.nemesis = names(':nemesis', at)),
  'nemesis-interval': (f, at) => void (f.nemesisInterval = number(':nemesis-interval', at, positive, 'a positive number of seconds')),
  'time-limit': (f, at) => void (f.timeLimit = number(':time-limit', at, positive, 'a positive number of seconds')),
  concurrency: (f, at) => void (f.concurrency = number(':concurrency', at, intAtLeast(1), 'an integer ≥ 1')),
  nodes: (f, at) => {
    if (typeof at.value === 'number') {
      const n = number(':nodes', at, (x) => intAtLeast(1)(x) && x <= 64, 'a node count 1 to 64, or a vector of node names');
      f.nodes = Array.from({ length: n }, (_, i) => `n${i + 1}`);
    } else f.nodes = names(':nodes', at);
  },
  bug: (f, at) => void (f.bug = names(':bug', at)),
  seeds: (f, at) => {
    if (at.items === undefined || at.items.length === 0) fail(at, `:seeds ${shown(at)}: expected a vector of one or more integer seeds ≥ 0`);
    f.seeds = at.items!.map((i) => number(':seeds', i, intAtLeast(0), 'an integer seed ≥ 0'));
    const dup = f.seeds.find((s, i) => f.seeds!.indexOf(s) !== i);
    if (dup !== undefined) fail(at, `:seeds ${shown(at)}: seed ${dup} is given twice`);
  },
  rate: (f, at) => void (f.rate = number(':rate', at, (n) => Number.isFinite(n) && n >= 0, 'a number ≥ 0 of ops per second')),
  'op-timeout': (f, at) => void (f.opTimeout = number(':op-timeout', at, intAtLeast(1), 'an integer ≥ 1 of milliseconds')),
  expect: (f, at) => void (f.expect = oneOf(':expect', at, EXPECTATIONS)),
  tier: (f, at) => void (f.tier = oneOf(':tier', at, TIERS)),
  'nemesis-targets': (f, at) => {
    const out: Record<string, string> = {};
    for (const [name, , v] of mapEntries(':nemesis-targets', at)) {
      if (typeof v.value !== 'string') fail(v, `:nemesis-targets :${name} ${shown(v)}: expected a target string, e.g. "random-healthy:2@group"`);
      try {
        parseTarget(v.value as string);
      } catch (e) {
        fail(v, `:nemesis-targets :${name}: ${(e as Error).message}`);
      }
      out[name] = v.value as string;
    }
    f.nemesisTargets = out;
  },
  groups: (f, at) => {
    if (typeof at.value !== 'string') fail(at, `:groups ${shown(at)}: expected a string of groups, e.g. "n1,n2:n3,n4,n5"`);
    f.groups = at.value as string;
  },
  options: (f, at) => {
    const out: Record<string, OptionValue> = {};
    for (const [name, , v] of mapEntries(':options', at)) {
      const x = v.value;
      if (typeof x !== 'string' && typeof x !== 'boolean' && !(typeof x === 'number' && Number.isFinite(x))) fail(v, `:options :${name} ${shown(v)}: expected a string, a number or true/false`);
      out[name] = x as OptionValue;
    }
    f.options = out;
  },
};

/** Every field a test may have, as the file spells them. */
export const TEST_KEYS: readonly string[] = Object.keys(READERS);

/** The entries of a map, each key a name; throws for a value that is not a map or a key that is not a name. */
export function mapEntries(what: string, at: Located): Array<[string, Located, Located]> {
  if (at.entries === undefined || !(at.value instanceof EdnMap)) return fail(at, `${what} ${shown(at)}: expected a map`);
  return at.entries.map(([k, v]) => {
    const n = keyName(k);
    if (n === undefined) return fail(k, `${what}: key ${shown(k)} is not a name`);
    return [n, k, v];
  });
}

/**
 * Reads a map of test fields. `allowed` (default: every field) limits the keys; a key outside
 * it is refused with the keys it could have been.
 */
export function readFields(what: string, at: Located, allowed: readonly string[] = TEST_KEYS): TestFields {
  const f: TestFields = {};
  for (const [name, k, v] of mapEntries(what, at)) {
    if (!allowed.includes(name)) fail(k, `${what}: unknown key :${name}; expected one of ${allowed.map((a) => ':' + a).join(' ')}`);
    READERS[name](f, v);
  }
  return f;
}

/** Reads one field by its file name (for a matrix's alternatives). */
export function readField(name: string, at: Located): TestFields {
  const f: TestFields = {};
  READERS[name](f, at);
  return f;
}

/** One test of a suite with every field set; each seed is one `record` run. */
export interface SuiteTest {
  readonly name: string;
  readonly db: string;
  readonly workload: string;
  readonly nemesis: readonly string[];
  readonly nemesisInterval: number;
  readonly timeLimit: number;
  readonly concurrency: number;
  /** Undefined: the backend's default nodes. */
  readonly nodes?: readonly string[];
  readonly bug: readonly string[];
  readonly seeds: readonly number[];
  readonly rate: number;
  readonly opTimeout: number;
  readonly expect: Expectation;
  readonly tier: Tier;
  /** The backend's own options by flag name, checked against the backend's flags. */
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly nemesisTargets?: Readonly<Record<string, string>>;
  readonly groups?: string;
  /** The line the test (or the matrix that made it) starts on. */
  readonly line: number;
}

/** `hindsight record`'s own defaults, so a suite test without a field runs as `record` would. */
const RECORD_DEFAULTS = {
  db: 'memory',
  workload: 'register',
  nemesis: [] as string[],
  nemesisInterval: 2,
  timeLimit: 10,
  concurrency: 10,
  bug: [] as string[],
  seeds: [1],
  rate: 500,
  opTimeout: 1000,
  expect: 'valid' as Expectation,
  tier: 'full' as Tier,
  options: {} as Record<string, OptionValue>,
};

/** A test's fields over the defaults; the name is required by then. */
export function complete(f: TestFields, defaults: TestFields, line: number): SuiteTest {
  // Options merge: a test names the flags it adds to (or overrides in) the defaults' options.
  const all = { ...RECORD_DEFAULTS, ...defaults, ...f, options: { ...defaults.options, ...f.options } };
  if (all.name === undefined) throw new SuiteFileError(line, 'a test has no :name; expected a :name string');
  return { ...all, name: all.name, line };
}
