/**
 * What a report is made from: a store run directory (test.edn, results.edn, history.edn and the
 * checkers' pictures) or a lone results file (with history.edn beside it when there is one).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parseEdn } from '../edn/scanner.js';
import { EdnMap, type EdnValue } from '../edn/values.js';
import type { History } from '../history/history.js';
import { readHistory } from '../history/read.js';
import { runHistoryFile } from '../store/store.js';
import { RUN_SHRUNK_FILE, type ShrunkSummary, shrunkSummary } from '../shrink/write.js';

/** One SVG picture shown in a report. */
export interface Picture {
  /** Path relative to the run directory, e.g. `elle/G-single-0.svg`. */
  name: string;
  /** The SVG document's text. */
  svg: string;
  /** Drawn by the report itself (no file to link): `name` is then its caption. */
  generated?: boolean;
}

/** Everything a report shows of one run, as `loadRun` gathers it. */
export interface RunMaterial {
  /** The run directory, or the results file's directory. */
  dir: string;
  /** `test name / run`, or the results file's name. */
  title: string;
  /** test.edn, when there is one. */
  test?: EdnValue;
  /** The results read (results.edn, or the file given). */
  results: EdnValue;
  /** The run's history, when it has one. */
  history?: History;
  /** Every SVG under the directory (two levels down at most). */
  pictures: Picture[];
  /** Every file in the run directory (relative, sorted), for the report's file list. */
  files: string[];
  /** The run's shrunk history (history.min.edn, from `report --shrink` or `hindsight shrink`), when there is one. */
  shrunk?: ShrunkSummary & { file: string };
}

/** How `loadRun` loads. */
export interface LoadOptions {
  /** A history already read (e.g. to check it first), instead of reading history.edn again. */
  history?: History;
  /** Reading progress (bytes read of total), as `readHistory`'s `onProgress`. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

function readEdnFile(file: string): EdnValue {
  try {
    return parseEdn(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not readable as EDN: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function filesUnder(dir: string, depth = 0): string[] {
  if (depth > 2) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p, depth + 1));
    else out.push(p);
  }
  return out;
}

/**
 * Loads a run directory or a results file (`results.edn`, or any `.edn` result map), with the
 * history beside it when there is one. Throws when there is no results file or it (or test.edn)
 * is not EDN; rejects with `HistoryError` when the history is bad input.
 */
export async function loadRun(path: string, options: LoadOptions = {}): Promise<RunMaterial> {
  const isDir = statSync(path).isDirectory();
  const dir = isDir ? path : dirname(path);
  const resultsFile = isDir ? join(dir, 'results.edn') : path;
  if (!existsSync(resultsFile)) throw new Error(`${dir}: no results.edn (run \`hindsight check --out ${dir}\` or record the run first)`);
  const results = readEdnFile(resultsFile);
  const testFile = join(dir, 'test.edn');
  const test = existsSync(testFile) ? readEdnFile(testFile) : undefined;
  // A run keeps its history as history.edn, or (Jepsen's) history.txt or jepsen.log.
  const historyFile = (isDir ? runHistoryFile(dir) : undefined) ?? join(dir, 'history.edn');
  const history = options.history ?? (existsSync(historyFile) ? await readHistory(historyFile, { onProgress: options.onProgress }) : undefined);
  // A lone results file's directory may hold anything: only a run directory's files are the run's.
  // The report itself is not listed, so writing it twice gives the same page.
  const files = isDir ? filesUnder(dir).map((p) => relative(dir, p)).filter((f) => f !== 'report.html') : [];
  const svgs = isDir ? files.filter((f) => f.endsWith('.svg')) : filesUnder(dir).map((p) => relative(dir, p)).filter((f) => f.endsWith('.svg'));
  const pictures = svgs.map((name) => ({ name, svg: readFileSync(join(dir, name), 'utf8') }));
  const name = test instanceof EdnMap ? test.kw('name') : undefined;
  const title = isDir ? `${typeof name === 'string' ? name : basename(dirname(dir))} / ${basename(dir)}` : basename(path);
  const shrunkFile = join(dir, RUN_SHRUNK_FILE);
  const summary = isDir && existsSync(shrunkFile) ? shrunkSummary(readFileSync(shrunkFile, 'utf8').slice(0, 8192)) : undefined;
  return { dir, title, test, results, history, pictures, files, ...(summary === undefined ? {} : { shrunk: { ...summary, file: RUN_SHRUNK_FILE } }) };
}
