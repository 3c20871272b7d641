/** Shared helpers of the etcd tests: prerequisites (root, etcd, sshd, iptables, ip) and clean-up checks. */
import { execFileSync, spawnSync } from 'node:child_process';

function has(cmd: string): boolean {
  return spawnSync('bash', ['--noprofile', '--norc', '-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Why the cluster tests cannot run here, or false when they can (CI installs everything). */
export function clusterSkipReason(): string | false {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root (network namespaces, iptables)';
  const missing = ['etcd', '/usr/sbin/sshd', 'iptables', 'ip', 'ssh-keygen'].filter((c) => !has(c));
  if (missing.length) return `not installed: ${missing.join(', ')} (apt-get install etcd-server openssh-server iptables iproute2)`;
  return false;
}

/** Our namespaces and links still present on the machine (names starting with `prefix-`). */
export function leftovers(prefix: string): string[] {
  const ns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(`${prefix}-`));
  const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(':')[1]?.trim().split('@')[0] ?? '')
    .filter((n) => n.startsWith(`${prefix}-`));
  return [...ns.map((n) => `netns ${n}`), ...links.map((l) => `link ${l}`)];
}
