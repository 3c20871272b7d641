/**
 * TEMPORARY reader (edn-data based, whole file in memory) so that checkers can be developed
 * against the fixtures while the streaming reader is written. The reader work replaces this
 * file; its exported signature `readHistory(file, options)` stays.
 */
import { readFile } from 'node:fs/promises';
import { parseEDNString } from 'edn-data';
import { Char, EdnMap, EdnSet, type EdnValue, Keyword, Sym, Tagged, markList, normalInt } from '../edn/values.js';
import { Diagnostics } from './diagnostics.js';
import { type History, HistoryBuilder } from './history.js';
import type { OpInput, OpType } from './op.js';

export type HistoryFormat = 'auto' | 'edn' | 'edn-vector' | 'json' | 'jepsen-log';

export interface ReadOptions {
  format?: HistoryFormat;
  strict?: boolean;
  onWarning?: (w: { file: string; line: number; message: string }) => void;
  /** Called with bytes read so far and the file's size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

function convert(v: unknown): EdnValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return normalInt(v);
  if (Array.isArray(v)) return v.map(convert);
  const o = v as Record<string, unknown>;
  if ('key' in o) return Keyword.of(o.key as string);
  if ('sym' in o) return Sym.of(o.sym as string);
  if ('char' in o) return new Char(o.char as string);
  if ('list' in o) return markList((o.list as unknown[]).map(convert));
  if ('set' in o) return new EdnSet((o.set as unknown[]).map(convert));
  if ('map' in o) {
    const entries = o.map as [unknown, unknown][];
    return new EdnMap(entries.map((e) => convert(e[0])), entries.map((e) => convert(e[1])));
  }
  if ('tag' in o) {
    const inner = convert(o.val);
    return o.tag === 'jepsen.history.Op' ? inner : new Tagged(o.tag as string, inner);
  }
  return null;
}

function opFromMap(m: EdnMap): OpInput {
  const op: OpInput = { type: 'invoke' };
  const extraK: EdnValue[] = [];
  const extraV: EdnValue[] = [];
  for (let i = 0; i < m.keys.length; i++) {
    const k = m.keys[i];
    const v = m.vals[i];
    const name = k instanceof Keyword ? k.name : undefined;
    switch (name) {
      case 'index': op.index = v as number; break;
      case 'time': op.time = v as number; break;
      case 'type': op.type = (v instanceof Keyword ? v.name : String(v)) as OpType; break;
      case 'process': op.process = v; break;
      case 'f': op.f = v; break;
      case 'value': op.value = v; break;
      case 'error': op.error = v; break;
      default: extraK.push(k); extraV.push(v);
    }
  }
  if (extraK.length) op.extra = new EdnMap(extraK, extraV);
  return op;
}

export async function readHistory(file: string, options: ReadOptions = {}): Promise<History> {
  const text = await readFile(file, 'utf8');
  const d = new Diagnostics(file, options.strict ?? false, options.onWarning);
  const b = new HistoryBuilder(file, d);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    const all = convert(parseEDNString(text.replace(/^\s*;.*$/gm, ''), { mapAs: 'doubleArray' } as never)) as EdnValue[];
    for (const m of all) b.add(opFromMap(m as EdnMap), 0);
  } else {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      const t = line.trim();
      if (t === '' || t.startsWith(';')) return;
      b.add(opFromMap(convert(parseEDNString(t, { mapAs: 'doubleArray' } as never)) as EdnMap), i + 1);
    });
  }
  return b.build();
}
