/**
 * Collection models: `set` (add v / read the whole set), `unordered-queue` and `fifo-queue`
 * (enqueue v / dequeue v). States are sorted (set, unordered queue) or ordered (fifo) lists
 * of values with their printed text, so the canonical key is the texts joined.
 */
import { printEdn } from '../../edn/print.js';
import { type EdnValue, EdnSet } from '../../edn/values.js';
import { Inconsistent, type Model } from './model.js';

interface Item {
  text: string;
  value: EdnValue;
}
type Items = readonly Item[];

const itemOf = (value: EdnValue): Item => ({ text: printEdn(value), value });
const byText = (a: Item, b: Item): number => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
const keyOf = (s: Items): string => s.map((i) => i.text).join(' ');

/** `set`: add v, and read of the whole set (a vector or set; nil reads anything); starts empty. */
export const set: Model<Items> = {
  name: 'set',
  summary: 'a set: add v, read (the whole set; nil reads are unknown)',
  fs: ['add', 'read'],
  init: () => [],
  step: (s, op) => {
    if (op.f === 'add') {
      const it = itemOf(op.value);
      return s.some((x) => x.text === it.text) ? s : [...s, it].sort(byText);
    }
    if (op.f === 'read') {
      if (op.value === null) return s;
      const items = op.value instanceof EdnSet ? op.value.items : Array.isArray(op.value) ? op.value : undefined;
      if (items === undefined) return new Inconsistent(() => `can't read ${printEdn(op.value)} from a set`);
      const read = [...new Map(items.map((v) => { const it = itemOf(v); return [it.text, it] as const; })).values()].sort(byText);
      return keyOf(read) === keyOf(s) ? s : new Inconsistent(() => `can't read #{${keyOf(read)}} from set #{${keyOf(s)}}`);
    }
    return new Inconsistent(() => `set has no op ${op.f}`);
  },
  readOnly: (op) => op.f === 'read',
  key: keyOf,
  toEdn: (s) => new EdnSet(s.map((i) => i.value)),
};

function queue(name: string, fifo: boolean): Model<Items> {
  return {
    name,
    summary: fifo ? 'a FIFO queue: enqueue v, dequeue v (the oldest)' : 'a queue in no particular order: enqueue v, dequeue v (any present)',
    fs: ['enqueue', 'dequeue'],
    init: () => [],
    step: (s, op) => {
      if (op.f === 'enqueue') {
        const it = itemOf(op.value);
        return fifo ? [...s, it] : [...s, it].sort(byText);
      }
      if (op.f === 'dequeue') {
        const text = printEdn(op.value);
        const at = fifo ? (s.length > 0 && (op.value === null || s[0].text === text) ? 0 : -1) : op.value === null && s.length > 0 ? 0 : s.findIndex((x) => x.text === text);
        if (at < 0) return new Inconsistent(s.length === 0 ? `can't dequeue ${text} from an empty queue` : `can't dequeue ${text} from queue [${keyOf(s)}]`);
        return [...s.slice(0, at), ...s.slice(at + 1)];
      }
      return new Inconsistent(() => `${name} has no op ${op.f}`);
    },
    key: keyOf,
    toEdn: (s) => s.map((i) => i.value),
  };
}

/** `unordered-queue`: enqueue v; dequeue v takes a copy of v from anywhere in the queue. Starts empty. */
export const unorderedQueue = queue('unordered-queue', false);
/** `fifo-queue`: enqueue v at the back; dequeue v only from the front. Starts empty. */
export const fifoQueue = queue('fifo-queue', true);
