/**
 * `hindsight nodes up|down|status`: namespace test hosts outside a recording, e.g. to keep one
 * cluster up across many `hindsight record --db etcd` runs, to log in and look around, or to clean
 * up after a recorder that crashed (`down` reads the state file `up` wrote).
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { DEFAULT_STATE_ROOT, namespacesDown, namespacesUp, readState, stateDir } from './namespaces.js';

const EXIT_FAILED = 3;

/** Where the commands write: stdout and stderr by default, a buffer in tests. */
export interface CliOutput {
  out(s: string): void;
  err(s: string): void;
}

const stdio: CliOutput = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) };

/**
 * Adds `nodes up|down|status` to `program`. A failing command writes `hindsight nodes <cmd>: <why>`
 * to `io.err` and sets exit status 3 (as `status` does for a cluster that is not up); nothing throws.
 */
export function addNodesCommand(program: Command, io: CliOutput = stdio): void {
  // Every subcommand names a cluster and where its state lives.
  const named = (cmd: Command): Command =>
    cmd.option('--name <name>', 'cluster name', 'hs').option('--state-root <dir>', 'where cluster state lives', DEFAULT_STATE_ROOT);
  const failing = <O>(what: string, act: (o: O) => Promise<void>) => async (o: O): Promise<void> => {
    try {
      await act(o);
    } catch (e) {
      io.err(`hindsight nodes ${what}: ${(e as Error).message}\n`);
      process.exitCode = EXIT_FAILED;
    }
  };
  const nodes = program.command('nodes').description('test hosts on this machine: network namespaces with their own sshd (needs root)');
  nodes
    .command('up')
    .description('make N namespace nodes n1..nN on a private bridge, each with an sshd')
    .option('--count <n>', 'number of nodes', '5')
    .option('--name <name>', 'cluster name (prefix of namespaces and links, ≤ 6 chars)', 'hs')
    .option('--subnet <a.b.c>', 'private /24 for the bridge (host .1, node i at .10+i)', '10.77.0')
    .option('--state-root <dir>', 'where cluster state lives', DEFAULT_STATE_ROOT)
    .action(
      failing('up', async (o: { count: string; name: string; subnet: string; stateRoot: string }) => {
        const c = await namespacesUp({ name: o.name, count: Number(o.count), subnet: o.subnet, stateRoot: o.stateRoot });
        const dir = stateDir(o.name, o.stateRoot);
        for (const n of c.nodes) io.out(`${n.name}\t${n.host}\n`);
        io.out(
          `\nLog in: ssh -i ${join(dir, 'id_ed25519')} -o UserKnownHostsFile=${join(dir, 'known_hosts')} root@${c.nodes[0]!.host}\n` +
            `Record: hindsight record --db etcd --cluster ${o.name} --nodes ${c.nodes.map((n) => n.name).join(',')} …\n` +
            `Remove: hindsight nodes down --name ${o.name}\n`,
        );
      }),
    );
  named(nodes.command('down').description('remove every namespace, link, process and file a cluster made (also after a crash)')).action(
    failing('down', async (o: { name: string; stateRoot: string }) => {
      const had = await namespacesDown(o.name, o.stateRoot);
      io.out(had ? `cluster ${o.name} removed\n` : `no cluster ${o.name} (nothing to do)\n`);
    }),
  );
  named(nodes.command('status').description('show a cluster\'s nodes')).action((o: { name: string; stateRoot: string }) => {
    const s = readState(o.name, o.stateRoot);
    if (!s) {
      io.out(`no cluster ${o.name}\n`);
      process.exitCode = EXIT_FAILED;
      return;
    }
    for (const n of s.nodes) io.out(`${n.name}\t${n.host}\tnetns ${n.ns}\n`);
  });
}
