/**
 * The tables behind a history's `f` and `process` columns, which hold ids rather than values:
 * each distinct `:f` value gets an id into `fTable`, each process value an id as `History`
 * describes (a client's integer is its own id; `:nemesis` and other names get ids below 0).
 * `HistoryBuilder` (history.ts) extends this class; readers call `internF` and `internProcess`
 * once per op, so both find a value seen before without building anything.
 */
import { type EdnValue, Keyword, ednEquals, ednHash } from '../edn/values.js';
import { NEMESIS, NO_PROCESS } from './op.js';

/** Anything that can stand for a process when building: integer, keyword, or undefined. */
export type ProcessInput = number | EdnValue | undefined;

/** Interning of `:f` and process values into the ids a History's columns hold. */
export class ValueIds {
  /** Every distinct `:f` value, by id. */
  protected readonly fTable: EdnValue[] = [];
  private readonly fIds = new Map<unknown, number[]>();
  /** Non-integer process values (and integers outside 0..2^31-1): id -1-k is processNames[k]. */
  protected readonly processNames: EdnValue[] = [Keyword.of('nemesis')];

  /** Interns an `:f` value; keywords and strings by identity/value, others structurally. */
  internF(f: EdnValue | undefined): number {
    if (f === undefined) return -1;
    if (f === this.lastF) return this.lastFId; // runs of ops with one :f are the rule
    const id = this.internFSlow(f);
    if (f instanceof Keyword || typeof f === 'string') {
      this.lastF = f;
      this.lastFId = id;
    }
    return id;
  }

  private lastF: EdnValue | undefined = undefined;
  private lastFId = -1;

  private internFSlow(f: EdnValue): number {
    // Keywords, strings and numbers are their own keys; other values go by hash, and values
    // whose hashes collide share a bucket, so unequal ones never share an id.
    const structural = typeof f === 'object' && f !== null && !(f instanceof Keyword);
    const key = structural ? `#${ednHash(f)}` : f;
    let bucket = this.fIds.get(key);
    if (bucket !== undefined) for (const id of bucket) if (!structural || ednEquals(this.fTable[id], f)) return id;
    const id = this.fTable.length;
    this.fTable.push(f);
    if (bucket === undefined) this.fIds.set(key, (bucket = []));
    bucket.push(id);
    return id;
  }

  /**
   * The id of a process value for the process column: a client's integer in 0..2^31-1 is its own
   * id, undefined or nil is NO_PROCESS, `:nemesis` is NEMESIS, and any other value gets an id
   * below NEMESIS (other integers are renumbered to client ids by `HistoryBuilder.build`).
   */
  internProcess(p: ProcessInput): number {
    if (p === undefined || p === null) return NO_PROCESS;
    if (typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 0x7fffffff) return p;
    // Keywords are interned and numbers are primitives: one map lookup finds them again.
    const simple = typeof p === 'number' || typeof p === 'bigint' || typeof p === 'string' || p instanceof Keyword;
    if (simple) {
      const id = this.simpleProcesses.get(p);
      if (id !== undefined) return id;
    } else for (let k = 0; k < this.processNames.length; k++) if (ednEquals(this.processNames[k], p)) return -1 - k;
    this.processNames.push(p);
    const id = -this.processNames.length;
    if (simple) this.simpleProcesses.set(p, id);
    // Any integer is a client process (Jepsen's processes are integers; only :nemesis and other names are not).
    if ((typeof p === 'number' && Number.isInteger(p)) || typeof p === 'bigint') this.oddClientNames.push(id);
    return id;
  }

  private readonly simpleProcesses = new Map<unknown, number>([[Keyword.of('nemesis'), NEMESIS]]);
  /** Ids (negative, as interned) of integer processes outside 0..2^31-1. */
  protected readonly oddClientNames: number[] = [];
}
