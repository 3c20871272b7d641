/** Suite files: bad ones give one line naming the file, line and what was expected (exit 3); matrices, exclusions and tiers. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCliInProcess } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';
import { MEMORY_FAULTS } from '../../recorder/memory/backend.js';

const dir = tempDir('hindsight-suite-file-');

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function refused(name: string, text: string): Promise<string> {
  const p = file(name, text);
  const r = await runCliInProcess(['suite', p, '--list', '--store', join(dir, 'store')]);
  assert.equal(r.code, 3, r.out + r.err);
  assert.equal(r.out, '');
  assert.equal(r.err.split('\n').length, 2, `one line: ${r.err}`);
  return r.err.replace(p, 'FILE').trimEnd();
}

test('a bad suite file is one line naming the file, the line and what was expected, and exit 3', async () => {
  assert.equal(await refused('unknown-key.edn', '{:name "x"\n :tests [{:name "a"\n          :wrkload "register"}]}\n'),
    'hindsight: FILE:3: :tests: unknown key :wrkload; expected one of :name :db :workload :nemesis :nemesis-interval :time-limit :concurrency :nodes :bug :seeds :rate :op-timeout :expect :tier :nemesis-targets :groups :options');
  assert.equal(await refused('type.edn', '{:name "x"\n :tests [{:name "a", :time-limit "3"}]}'),
    'hindsight: FILE:2: :time-limit "3": expected a positive number of seconds');
  assert.equal(await refused('workload.edn', '{:name "x"\n :tests [{:name "a"}\n         {:name "b", :workload "queue"}]}'),
    'hindsight: FILE:3: test b: unknown :workload queue; the memory db has register, set, list-append, rw-register');
  assert.equal(await refused('nemesis.edn', '{:name "x", :tests [{:name "a", :nemesis ["partition" "flood"]}]}'),
    `hindsight: FILE:1: test a: unknown :nemesis fault flood; the memory db has ${MEMORY_FAULTS.join(', ')}`);
  assert.equal(await refused('bug.edn', '{:name "x", :tests [{:name "a", :bug "typo"}]}'),
    'hindsight: FILE:1: test a: unknown :bug typo; the memory db has stale-read, lost-write, non-atomic-txn, lost-update, read-committed, clock-lease');
  assert.equal(await refused('expect.json', '{"name": "x",\n "tests": [{"name": "a", "expect": "maybe"}]}'),
    'hindsight: FILE:2: :expect "maybe": expected one of :valid, :invalid');
  assert.equal(await refused('top.edn', '{:name "x", :tests [{:name "a"}], :budget 3}'),
    'hindsight: FILE:1: unknown key :budget; expected one of :name :description :defaults :tests :matrix :exclude :tiers');
  assert.equal(await refused('twice.edn', '{:name "x"\n :tests [{:name "a"}\n {:name "a"}]}'),
    'hindsight: FILE:3: test a is named twice (first at line 2); expected distinct test names');
  assert.equal(await refused('syntax.edn', '{:name "x"\n :tests [{:name "a"}}'),
    "hindsight: FILE:2: unexpected '}'");
  assert.equal(await refused('exclude.edn', '{:name "x"\n :matrix {:workload ["register" "set"]}\n :exclude [{:workload "list-append"}]}'),
    'hindsight: FILE:3: :exclude {:workload "list-append"} matches no test of the :matrix; expected field values the matrix generates');
  assert.equal(await refused('tier.edn', '{:name "x", :tests [{:name "a", :tier :nightly}]}'),
    'hindsight: FILE:1: :tier :nightly: expected one of :sanity, :daily, :weekly, :full');
  assert.equal(await refused('option.edn', '{:name "x"\n :tests [{:name "a", :options {:serializable-reads true}}]}'),
    'hindsight: FILE:2: test a: unknown :options :serializable-reads; the memory db has none');
  assert.equal(await refused('option-type.edn', '{:name "x", :tests [{:name "a", :db "etcd", :options {:subnet true}}]}'),
    'hindsight: FILE:1: test a: :options :subnet true: expected a value (string or number)');
  assert.equal(await refused('option-switch.edn', '{:name "x", :tests [{:name "a", :db "etcd", :options {:serializable-reads "yes"}}]}'),
    'hindsight: FILE:1: test a: :options :serializable-reads yes: expected true or false');
  assert.equal(await refused('option-value.edn', '{:name "x", :tests [{:name "a", :options {:subnet [1]}}]}'),
    'hindsight: FILE:1: :options :subnet [1]: expected a string, a number or true/false');
  assert.equal(await refused('target.edn', '{:name "x", :tests [{:name "a", :nemesis "kill", :nemesis-targets {:kill "most"}}]}'),
    'hindsight: FILE:1: :nemesis-targets :kill: target most: expected one, minority, majority, all, some, leader, random-healthy:K or group:G, optionally followed by @group');
  assert.equal(await refused('target-fault.edn', '{:name "x", :tests [{:name "a", :nemesis "kill", :nemesis-targets {:pause "one"}}]}'),
    'hindsight: FILE:1: test a: :nemesis-targets :pause is not one of its faults (:nemesis kill)');
  assert.equal(await refused('groups.edn', '{:name "x", :tests [{:name "a", :groups "n1,n2:n3"}]}'),
    'hindsight: FILE:1: test a: :groups n1,n2:n3: n4, n5 in no group; expected every node in one');
  const none = await runCliInProcess(['suite', join(dir, 'missing.edn')]);
  assert.equal(none.code, 3);
  assert.equal(none.err, `hindsight: ${join(dir, 'missing.edn')}: no such suite file, and no bundled suite of that name; bundled: bugs, etcd-daily, sanity\n`);
});

test('a matrix makes a test per combination, named by its alternatives, less the excluded; --tier selects its tier and every smaller one', async () => {
  const p = file('matrix.edn', `{:name "m"
 :defaults {:time-limit 1, :tier :daily}
 :tests [{:name "quick", :tier :sanity, :seeds [1 2]}
         {:name "long", :tier :weekly}]
 :matrix {:workload ["register" "set"], :nemesis [[] "partition" ["kill" "pause"]]}
 :exclude [{:workload "set", :nemesis ["pause" "kill"]}]}`);
  const names = async (tier: string): Promise<string[]> => {
    const r = await runCliInProcess(['suite', p, '--list', '--tier', tier]);
    assert.equal(r.code, 0, r.err);
    return r.out.trimEnd().split('\n').map((l) => l.split(/\s+/)[0]);
  };
  assert.deepEqual(await names('sanity'), ['quick']);
  const daily = ['quick', 'register-none', 'register-partition', 'register-kill+pause', 'set-none', 'set-partition'];
  assert.deepEqual(await names('daily'), daily);
  assert.deepEqual(await names('full'), ['quick', 'long', ...daily.slice(1)]);
  const bad = await runCliInProcess(['suite', p, '--list', '--tier', 'nightly']);
  assert.equal(bad.code, 3);
  assert.equal(bad.err, 'hindsight: --tier nightly: expected one of sanity, daily, weekly, full\n');
});

test("a test's :options reach the backend as its record flags would (camelCased, values as strings, switches as booleans), over the defaults' options", async () => {
  const { loadBackends, backendNamed, extraFromOptions } = await import('../../recorder/core/backends.js');
  const { loadSuite } = await import('../../recorder/suite/load.js');
  await loadBackends();
  const p = file('options.edn', `{:name "o"
 :defaults {:db "etcd", :options {:subnet "10.78.0", :serializable-reads true}}
 :tests [{:name "a", :options {:lease-ttl 3}}
         {:name "b", :options {:serializable-reads false, :strict-host-keys false}}]}`);
  const s = await loadSuite(p);
  const etcd = backendNamed('etcd')!;
  assert.deepEqual(extraFromOptions(etcd, s.tests[0].options), { subnet: '10.78.0', serializableReads: true, leaseTtl: '3' });
  assert.deepEqual(extraFromOptions(etcd, s.tests[1].options), { subnet: '10.78.0', serializableReads: false, strictHostKeys: false });
});
