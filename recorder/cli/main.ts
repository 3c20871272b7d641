/**
 * The full `hindsight` command: the analyzer's commands plus the recorder's. A command of the
 * analyzer's (`check`, `report`, …) runs without loading the recorder at all (its backends,
 * gRPC, ssh2), which is most of the CLI's start-up: about 0.12 CPU-s of 0.29 on this machine.
 */
import type { Command } from 'commander';
import { buildProgram, main } from '../../analyzer/cli/main.js';

/** The analyzer's own command names, from the program it builds (no list kept here). */
function analyzerCommands(): Set<string> {
  return new Set(buildProgram().commands.map((c) => c.name()));
}

/** The recorder's commands (record, memory-server, the backends' options, nodes), loaded on demand. */
async function recorderCommands(): Promise<Array<(program: Command) => void>> {
  const [{ loadBackends }, { addNodesCommand }, { addBackendOptions, addMemoryServerCommand, addRecordCommands }] = await Promise.all([
    import('../core/backends.js'),
    import('../nodes/cli.js'),
    import('./record.js'),
  ]);
  // Backends first, so their flags show in `record --help`.
  await loadBackends();
  return [addRecordCommands, addMemoryServerCommand, addBackendOptions, addNodesCommand];
}

/**
 * Runs `hindsight` with `argv` as `process.argv` has it (executable and script first) and
 * resolves to the exit status. The recorder's commands are added unless the first argument
 * names one of the analyzer's; `--help`, `help` and no command at all list every command.
 */
export async function run(argv: string[]): Promise<number> {
  const command = argv[2];
  if (command !== undefined && analyzerCommands().has(command)) return main(argv);
  const adds = await recorderCommands();
  return main(argv, (program) => {
    for (const add of adds) add(program);
  });
}
