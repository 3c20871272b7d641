/** The full `hindsight` command: the analyzer's commands plus the recorder's. */
import type { Command } from 'commander';
import { main } from '../../analyzer/cli/main.js';
import { loadBackends } from '../core/backends.js';
import { addNodesCommand } from '../nodes/cli.js';
import { addBackendOptions, addMemoryServerCommand, addRecordCommands } from './record.js';

/** Recorder commands register here (record, nodes, …). */
export const recorderCommands: Array<(program: Command) => void> = [addRecordCommands, addMemoryServerCommand, addBackendOptions, addNodesCommand];

/**
 * Runs `hindsight` with `argv` as `process.argv` has it (executable and script first), backends
 * loaded first so their flags show in `record --help`; resolves to the exit status.
 */
export async function run(argv: string[]): Promise<number> {
  await loadBackends();
  return main(argv, (program) => {
    for (const add of recorderCommands) add(program);
  });
}
