/**
 * The benchmark's data: a case (what one fresh child process measures), and a row (what it
 * measured). Plain JSON both ways, since cases cross a process boundary and rows are written
 * to the report file that a later run `--compare`s against.
 */
import type { GenOptions } from '../gen/index.js';

/** Where a case's history comes from: the generator, or a fixture file. */
export type BenchSource =
  | { kind: 'gen'; gen: GenOptions }
  | { kind: 'fixture'; file: string };

/** One measurement, as the parent hands it to a fresh child process. */
export interface BenchCase {
  checker: string;
  /** What was checked: `gen cas-register k10` style for generated histories, the fixture's path otherwise. */
  workload: string;
  source: BenchSource;
  /** The checker's options as the CLI passes them (camelCase), including `timeLimit`. */
  options: Record<string, unknown>;
  /** The verdict the history is known to deserve; undefined when none is known. */
  expected?: 'valid' | 'invalid';
}

/** A row's verdict: the checker's, or error / skipped when there is none. */
export type BenchVerdict = 'valid' | 'invalid' | 'unknown' | 'error' | 'skipped';

/** What the child process reports. */
export interface ChildReport {
  ops: number;
  /** Client processes in flight at most at once (the history's concurrency). */
  concurrency: number;
  /** Generating, or reading the file. */
  prepMs: number;
  /** The checker alone. */
  checkMs: number;
  /** Peak resident set of the whole child (worker threads included), MB. */
  peakRssMB: number;
  /** Resident set just before checking (the history and the loaded code), MB. */
  rssBeforeCheckMB: number;
  verdict: 'valid' | 'invalid' | 'unknown';
  detail: string;
}

/** One measured (or skipped, or failed) case, as the table prints it and the report keeps it. */
export interface BenchRow {
  checker: string;
  workload: string;
  source: 'gen' | 'fixture';
  /** History entries (invocations and completions). null when never measured. */
  ops: number | null;
  concurrency: number | null;
  keys: number | null;
  /** Generation (gen rows) or reading (fixture rows) time, ms; not part of `timeMs`. */
  prepMs: number | null;
  /** Checking time, ms. */
  timeMs: number | null;
  /** ops / checking time. */
  opsPerSec: number | null;
  peakRssMB: number | null;
  rssBeforeCheckMB: number | null;
  verdict: BenchVerdict;
  expected: 'valid' | 'invalid' | null;
  /** The checker's one-line description, or why there is no measurement. */
  detail: string;
}

/** The machine and moment a run measured on. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemGB: number;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine. */
  loadAvg: number[];
  node: string;
  platform: string;
  date: string;
  commit: string | null;
  /** Node flags the measuring children ran with. */
  childExecArgv: string[];
}

/** The options a run was given, as the report keeps them. */
export interface BenchSettings {
  /** `checker:workload` each. */
  checkers: string[];
  sizes: number[];
  concurrency: number[];
  keys: number;
  seed: number;
  /** Seconds, passed to the checker as `--time-limit`. */
  timeLimit: number;
  fixtures: boolean;
  quick: boolean;
}

/** The report file: `--out` writes it, `--compare` reads one back. */
export interface BenchReport {
  hindsightBench: 1;
  machine: MachineInfo;
  settings: BenchSettings;
  rows: BenchRow[];
}
