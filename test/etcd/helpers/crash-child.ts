/** Child of crash.test.ts: brings up namespace nodes and etcd, says "ready", then waits to be SIGKILLed. */
import { closeSessions, openSessions } from '../../../recorder/nodes/cluster.js';
import { namespacesUp } from '../../../recorder/nodes/namespaces.js';
import { EtcdCluster } from '../../../recorder/etcd/cluster.js';

const [name, subnet] = process.argv.slice(2) as [string, string];
const cluster = await namespacesUp({ name, count: 3, subnet });
const sessions = openSessions(cluster);
await new EtcdCluster(cluster, sessions).setup();
await sessions.get('n1')!.run(`iptables -N hindsight && iptables -A hindsight -s ${subnet}.12 -j DROP && iptables -I INPUT -j hindsight`);
await closeSessions(sessions);
process.stdout.write('ready\n');
setInterval(() => undefined, 1000);
