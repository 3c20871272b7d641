/**
 * Fuzzing the reader and checkers with mutated copies of foreign fixtures (Knossos, Elle,
 * elle-cli, a Jepsen store's history.txt). Each case applies a few byte edits, the kinds that
 * break readers: a stray or missing bracket, NUL and CR bytes, bytes that are not UTF-8, deep
 * nesting, a cut, a duplicated range, a duplicate key. Used by test/history/fuzz.test.ts (a few
 * hundred cases in `npm test`) and scripts/fuzz.ts (`npm run fuzz`, 10 000).
 *
 * What must hold for every case, whatever the bytes:
 * - `check` returns an exit status in {0, 1, 2, 3}: no internal error, no stack trace;
 * - every message is one line, and a status of 3 ends with one naming the file (and the line,
 *   unless the problem is the whole file's), or with the CLI's usage line when the mutated ops
 *   no longer fit the checker asked for;
 * - under `--strict`, a file that an independent parser rejects (edn-data for EDN, JSON.parse for
 *   JSON, a fatal UTF-8 decoder for both) never gets a verdict (0 or 1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseEDNString } from 'edn-data';
import fc from 'fast-check';
import { UsageError } from '../../analyzer/check/checker.js';
import { runCheck } from '../../analyzer/cli/check.js';

export interface FuzzSeed {
  /** A fixture path, relative to the project root, and where it came from. */
  file: string;
  /** Only the first lines (a long fixture is cut to keep cases fast). */
  lines?: number;
  format: 'edn' | 'json' | 'jepsen-log';
  options: Record<string, unknown>;
}

export const FUZZ_SEEDS: readonly FuzzSeed[] = [
  // Knossos data/cas-register/bad/bad-analysis.edn: one EDN vector of maps.
  { file: 'fixtures/knossos/cas-register/bad/bad-analysis.edn', format: 'edn', options: { checker: 'linearizable', model: 'cas-register', timeLimit: 2 } },
  // Elle's paper example (op maps one a line, no :process).
  { file: 'fixtures/elle/paper-example.edn', format: 'edn', options: { checker: 'list-append', timeLimit: 2 } },
  // elle-cli's JSON form of the same.
  { file: 'fixtures/elle-cli/paper-example.json', format: 'json', options: { checker: 'list-append', timeLimit: 2 } },
  // A Jepsen store's history.txt (jerrytesting/Canonical-raft-bug-logs), first 60 lines.
  { file: 'fixtures/jepsen-stores/canonical-raft/history.txt', lines: 60, format: 'jepsen-log', options: { checker: 'stats' } },
];

const SNIPPETS = ['[', ']', '{', '}', '(', ')', '"', ':', ';', '#_', '#{', '\\', ',', ' ', '\n', '\r', '\u0000', '\u001b', 'nil', '1e999', '99999999999999999999', ':type', ':type :okay', '{:a 1 :a 2}', '"type": "ok", "type": "ok"', '#{1 1}', '\u202e', 'jepsen.util - ', '\t'];

/** One edit of a file's bytes; `at` is a fraction of the file's length, so one case fits every seed. */
export type Edit =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'cut'; at: number };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const interestingByte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0x0d, 0x0a, 0xff, 0xfe, 0xc3, 0xe2, 0x80, 0x5b, 0x5d, 0x7b, 0x7d, 0x22, 0x3a, 0x3b, 0x23));
const snippet = fc.oneof(
  fc.constantFrom(...SNIPPETS).map((s) => [...Buffer.from(s)]),
  fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
  fc.integer({ min: 900, max: 1200 }).map((n) => [...Buffer.from('['.repeat(n))]),
);

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: position, byte: interestingByte }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: snippet }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: position }),
);

export const fuzzCase = fc.record({ seed: fc.nat(FUZZ_SEEDS.length - 1), edits: fc.array(edit, { minLength: 1, maxLength: 4 }) });

export function applyEdits(bytes: Buffer, edits: readonly Edit[]): Buffer {
  let b = bytes;
  for (const e of edits) {
    const at = Math.floor(e.at * b.length);
    switch (e.kind) {
      case 'set':
        if (b.length > 0) b = Buffer.concat([b.subarray(0, at), Buffer.from([e.byte]), b.subarray(at + 1)]);
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), Buffer.from(e.bytes), b.subarray(at)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.length)]);
        break;
      case 'duplicate': {
        const piece = b.subarray(at, at + e.length);
        b = Buffer.concat([b.subarray(0, at), piece, piece, b.subarray(at + piece.length)]);
        break;
      }
      case 'cut':
        b = b.subarray(0, at);
        break;
    }
  }
  return b;
}

export function seedBytes(s: FuzzSeed): Buffer {
  const text = readFileSync(s.file);
  if (s.lines === undefined) return text;
  let end = 0;
  for (let i = 0; i < s.lines && end >= 0; i++) end = text.indexOf(10, end) + 1;
  return end > 0 ? text.subarray(0, end) : text;
}

/**
 * Whether an independent parser accepts the bytes as the seed's format (undefined: no such
 * parser). A Jepsen log has none: a log's lines other than ops are never read, whatever bytes
 * they hold, so not even the UTF-8 rule applies to the whole file.
 */
export function independentlyValid(bytes: Buffer, format: FuzzSeed['format']): boolean | undefined {
  if (format === 'jepsen-log') return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  if (text.startsWith('\ufeff')) text = text.slice(1);
  try {
    if (format === 'json') {
      JSON.parse(text);
      return true;
    }
    if (format === 'edn') {
      // A ';' comment ends at a carriage return too, as in Clojure's reader (edn-data runs it to
      // the line feed): give edn-data line feeds there.
      parseEDNString(`[\n${text.replace(/\r(?!\n)/g, '\n')}\n]`, { mapAs: 'doubleArray', setAs: 'array', listAs: 'array' });
      return true;
    }
  } catch {
    return false;
  }
  return undefined;
}

export interface FuzzRun {
  code: number;
  err: string[];
  out: string[];
}

/** Runs `check` on a file in this process, as the CLI would, collecting what it prints. */
export async function checkFile(file: string, options: Record<string, unknown>): Promise<FuzzRun> {
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await runCheck([file], { quiet: false, ...options } as never, (s) => out.push(s), (s) => err.push(s));
    return { code, out, err };
  } catch (e) {
    // What the CLI's main does with a usage error (a mutated op that no longer fits the model).
    if (!(e instanceof UsageError)) throw e;
    return { code: 3, out, err: [...err, `hindsight: ${e.message}`] };
  }
}

/** What is wrong with one run, or undefined when it keeps every promise above. */
export function fuzzProblem(file: string, run: FuzzRun, strict: boolean, valid: boolean | undefined): string | undefined {
  if (![0, 1, 2, 3].includes(run.code)) return `exit ${run.code}`;
  for (const line of [...run.err, ...run.out]) {
    if (line.includes('\n')) return `a message of more than one line: ${JSON.stringify(line.slice(0, 300))}`;
    if (/\n\s+at |internal error/.test(line)) return `an internal error: ${line.slice(0, 300)}`;
  }
  if (run.code === 3) {
    const last = run.err[run.err.length - 1];
    if (last === undefined) return 'exit 3 with no message';
    // A usage error (the ops no longer fit the model asked for) is the CLI's own one line.
    if (last.startsWith('hindsight: ')) return undefined;
    if (!last.startsWith(`${file}:`)) return `exit 3 message does not name the file: ${last.slice(0, 300)}`;
    const rest = last.slice(file.length);
    // A line number, unless the problem is the whole file's.
    if (!/^:\d+: /.test(rest) && !/^: (no ops in |found no ops)/.test(rest)) return `exit 3 message names no line: ${last.slice(0, 300)}`;
  }
  if (strict && valid === false && (run.code === 0 || run.code === 1)) return `a verdict (exit ${run.code}) under --strict on a file an independent parser rejects`;
  return undefined;
}

/** Runs one case: the mutated file under the default reading and under --strict. */
export async function runFuzzCase(c: { seed: number; edits: readonly Edit[] }, tmpPath: string): Promise<string | undefined> {
  const s = FUZZ_SEEDS[c.seed]!;
  const bytes = applyEdits(seedBytes(s), c.edits);
  writeFileSync(tmpPath, bytes);
  const valid = independentlyValid(bytes, s.format);
  for (const strict of [false, true]) {
    const run = await checkFile(tmpPath, { ...s.options, strict });
    const p = fuzzProblem(tmpPath, run, strict, valid);
    if (p !== undefined) return `${s.file} ${strict ? '--strict' : ''}: ${p}`;
  }
  return undefined;
}
