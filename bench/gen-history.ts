/**
 * Writes a synthetic Jepsen list-append history.edn of `n` ops (invocation/completion pairs over
 * `concurrency` processes, nemesis ops now and then), as Jepsen's `prn` writes it. Deterministic
 * (seeded), so benchmark runs read the same bytes.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { benchRandomFunction } from '../analyzer/util/random.js';

export async function generateHistory(file: string, n: number, concurrency = 10, seed = 42): Promise<void> {
  const out = createWriteStream(file);
  const rand = benchRandomFunction(seed);
  const open: (string | null)[] = new Array(concurrency).fill(null);
  const nextValue = new Map<number, number>();
  let time = 0;
  let chunk = '';
  for (let index = 0; index < n; index++) {
    time += 1000 + Math.floor(rand() * 200000);
    let line: string;
    if (rand() < 0.002) {
      line = `{:index ${index}, :time ${time}, :type :info, :process :nemesis, :f ${rand() < 0.5 ? ':start-partition' : ':stop-partition'}, :value ${rand() < 0.5 ? 'nil' : '[:isolated {"n1" #{"n2" "n3"}, "n2" #{"n1"}}]'}}`;
    } else {
      const p = Math.floor(rand() * concurrency);
      const pending = open[p];
      if (pending === null) {
        const mops: string[] = [];
        const k = 1 + Math.floor(rand() * 4);
        for (let j = 0; j < k; j++) {
          const key = Math.floor(rand() * 64);
          if (rand() < 0.5) {
            const v = (nextValue.get(key) ?? 0) + 1;
            nextValue.set(key, v);
            mops.push(`[:append ${key} ${v}]`);
          } else mops.push(`[:r ${key} nil]`);
        }
        const value = `[${mops.join(' ')}]`;
        open[p] = value;
        line = `{:index ${index}, :time ${time}, :type :invoke, :process ${p}, :f :txn, :value ${value}}`;
      } else {
        const r = rand();
        const type = r < 0.9 ? ':ok' : r < 0.97 ? ':fail' : ':info';
        const value = type === ':ok' ? pending.replace(/\[:r (\d+) nil\]/g, (_, key) => `[:r ${key} [${Array.from({ length: Math.min(24, nextValue.get(Number(key)) ?? 0) }, (_x, i) => i + 1).join(' ')}]]`) : pending;
        const err = type === ':fail' ? ', :error [:abort "conflict on key \\"x\\"\\n"]' : type === ':info' ? ', :error :timeout' : '';
        line = `{:index ${index}, :time ${time}, :type ${type}, :process ${p}, :f :txn, :value ${value}${err}}`;
        open[p] = null;
      }
    }
    chunk += line + '\n';
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.write(chunk);
  out.end();
  await once(out, 'finish');
}
