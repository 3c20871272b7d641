/** The full `hindsight` command: the analyzer's commands plus the recorder's. */
import type { Command } from 'commander';
import { main } from '../../analyzer/cli/main.js';

/** Recorder commands register here (record, nodes, …). */
export const recorderCommands: Array<(program: Command) => void> = [];

export async function run(argv: string[]): Promise<number> {
  return main(argv, (program) => {
    for (const add of recorderCommands) add(program);
  });
}
