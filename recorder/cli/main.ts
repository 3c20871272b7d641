/**
 * The full `hindsight` command: the analyzer's commands plus the recorder's. A command of the
 * analyzer's (`check`, `report`, …) runs without loading the recorder at all (its backends,
 * gRPC, ssh2): that was about 0.12 of the 0.33 CPU-s a check of a small history took here.
 */
import type { Command } from 'commander';
import { ANALYZER_COMMANDS, main } from '../../analyzer/cli/main.js';

/** The recorder's commands (record, suite, memory-server, the backends' options, nodes), loaded on demand. */
async function recorderCommands(): Promise<Array<(program: Command) => void>> {
  const [{ loadBackends }, { addNodesCommand }, { addBackendOptions, addMemoryServerCommand, addRecordCommands }, { addSuiteCommand }] = await Promise.all([
    import('../core/backends.js'),
    import('../nodes/cli.js'),
    import('./record.js'),
    import('./suite.js'),
  ]);
  // Backends first, so their flags show in `record --help`.
  await loadBackends();
  return [addRecordCommands, addSuiteCommand, addMemoryServerCommand, addBackendOptions, addNodesCommand];
}

/**
 * Runs `hindsight` with `argv` as `process.argv` has it (executable and script first) and
 * resolves to the exit status. The recorder's commands are added unless the first argument
 * names one of the analyzer's (`ANALYZER_COMMANDS`); `--help`, `help` and no command at all list
 * every command.
 */
export async function run(argv: string[]): Promise<number> {
  const command = argv[2];
  return main(argv, async (program) => {
    if (command !== undefined && ANALYZER_COMMANDS.includes(command)) return;
    for (const add of await recorderCommands()) add(program);
  });
}
