/**
 * Locating piscina worker modules both when running from TypeScript sources (tests, through
 * tsx) and from the built `dist/` (the installed CLI): a worker started from a `.ts` module
 * needs tsx loaded in the worker too.
 */
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';

/** A worker module and the Node flags its threads need, as piscina takes them. */
export interface WorkerLocation {
  /** The module's URL. */
  filename: string;
  /** `--import tsx` when running from sources, else none. */
  execArgv: string[];
}

/** The worker module `name` (without extension) beside the module at `metaUrl`. */
export function workerModule(metaUrl: string, name: string): WorkerLocation {
  const fromSource = fileURLToPath(metaUrl).endsWith('.ts');
  const filename = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, metaUrl).href;
  return { filename, execArgv: fromSource ? ['--import', 'tsx'] : [] };
}

/** Default worker count: the machine's cores. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}
