/**
 * The embedded database's operations: what each workload's ops do to the replicated state,
 * and where each bug bends the rules.
 *
 * Keys in the state are strings by data type: `r:<k>` registers, `l:<k>` lists (list-append),
 * `w:<k>` registers inside transactions (rw-register), `set` the set. Values are immutable, so a
 * node's replica and the log can share them.
 */
import { type EdnValue, Keyword, ednEquals, kw } from '../../analyzer/edn/values.js';
import type { Completion } from '../core/types.js';
import type { MemoryCluster, ProposalResult, Writes } from './cluster.js';

const APPEND = kw('append');
const R = kw('r');
const W = kw('w');

function fromProposal(r: ProposalResult, value: (result: EdnValue) => EdnValue): Completion {
  if (r.ok) return { type: 'ok', value: value(r.result) };
  return { type: r.definite ? 'fail' : 'info', error: kw(r.error) };
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}

/** Runs one client op at node `node`. */
export async function runOp(c: MemoryCluster, node: number, workload: string, f: string, value: EdnValue): Promise<Completion> {
  switch (f) {
    case 'read':
      return Array.isArray(value) ? registerRead(c, node, value) : setRead(c, node);
    case 'write':
      return registerWrite(c, node, value);
    case 'cas':
      return registerCas(c, node, value);
    case 'add':
      return setAdd(c, node, value);
    case 'txn':
      return txn(c, node, value, workload === 'list-append');
    default:
      return { type: 'fail', error: [kw('unknown-f'), f] };
  }
}

function tuple(value: EdnValue): [EdnValue, EdnValue] {
  if (!Array.isArray(value) || value.length !== 2) throw new Error(`expected an independent [key value] tuple, got ${String(value)}`);
  return [value[0], value[1]];
}

/** `lost-write`: acknowledge without proposing, for a fraction of writes. */
function dropsWrite(c: MemoryCluster): boolean {
  return c.bugs.has('lost-write') && c.random() < c.lostWriteRate;
}

async function registerRead(c: MemoryCluster, node: number, value: EdnValue): Promise<Completion> {
  const [k] = tuple(value);
  const key = `r:${String(k)}`;
  const r = c.bugs.has('stale-read') ? await c.localRead(node, key) : (c.leaseRead(node, key) ?? (await c.propose(node, (get) => ({ result: get(key) ?? null, writes: [] }))));
  return fromProposal(r, (v) => [k, v]);
}

async function registerWrite(c: MemoryCluster, node: number, value: EdnValue): Promise<Completion> {
  const [k, v] = tuple(value);
  if (dropsWrite(c)) return { type: 'ok' };
  const r = await c.propose(node, () => ({ result: null, writes: [[`r:${String(k)}`, v]] }));
  return fromProposal(r, () => value);
}

async function registerCas(c: MemoryCluster, node: number, value: EdnValue): Promise<Completion> {
  const [k, ov] = tuple(value);
  const [from, to] = tuple(ov);
  const key = `r:${String(k)}`;
  const r = await c.propose(node, (get) => {
    const cur = get(key) ?? null;
    return ednEquals(cur, from) ? { result: true, writes: [[key, to]] } : { result: false, writes: [] };
  });
  if (r.ok && r.result === false) return { type: 'fail', error: kw('cas-mismatch') };
  return fromProposal(r, () => value);
}

async function setAdd(c: MemoryCluster, node: number, value: EdnValue): Promise<Completion> {
  if (dropsWrite(c)) return { type: 'ok' };
  // The set is a cons list [element, rest] so an add is O(1) and log entries share structure.
  const r = await c.propose(node, (get) => ({ result: null, writes: [['set', [value, get('set') ?? null]]] }));
  return fromProposal(r, () => value);
}

function setElements(cons: EdnValue): number[] {
  const out: number[] = [];
  for (let cell = cons; Array.isArray(cell); cell = cell[1]) out.push(cell[0] as number);
  return out.sort((a, b) => a - b);
}

async function setRead(c: MemoryCluster, node: number): Promise<Completion> {
  const r = c.bugs.has('stale-read') ? await c.localRead(node, 'set') : (c.leaseRead(node, 'set') ?? (await c.propose(node, (get) => ({ result: get('set') ?? null, writes: [] }))));
  return fromProposal(r, (v) => setElements(v));
}

// --- transactions ---------------------------------------------------------------------------

type Micro = [Keyword, EdnValue, EdnValue];

function micros(value: EdnValue): Micro[] {
  if (!Array.isArray(value)) throw new Error('txn value must be a vector of micro-ops');
  return value.map((m) => {
    if (!Array.isArray(m) || m.length !== 3 || !(m[0] instanceof Keyword)) throw new Error('micro-op must be [f k v]');
    return [m[0], m[1], m[2]];
  });
}

function keyOf(m: Micro, lists: boolean): string {
  return `${lists ? 'l' : 'w'}:${String(m[1])}`;
}

/**
 * Evaluates micro-ops against `get`, reading its own writes; returns completed micro-ops and
 * the writes to apply. `lists`: list-append semantics (reads return vectors).
 */
function evalMicros(ms: readonly Micro[], get: (key: string) => EdnValue | undefined, lists: boolean): { done: Micro[]; writes: Map<string, EdnValue> } {
  const writes = new Map<string, EdnValue>();
  const read = (k: string): EdnValue | undefined => (writes.has(k) ? writes.get(k) : get(k));
  const done = ms.map((m): Micro => {
    const key = keyOf(m, lists);
    if (m[0] === R) return [R, m[1], read(key) ?? null];
    if (m[0] === APPEND) writes.set(key, [...((read(key) ?? []) as EdnValue[]), m[2]]);
    else if (m[0] === W) writes.set(key, m[2]);
    else throw new Error(`unknown micro-op :${m[0].name}`);
    return m;
  });
  return { done, writes };
}

function isLists(ms: readonly Micro[]): boolean {
  return ms.some((m) => m[0] === APPEND);
}

async function txn(c: MemoryCluster, node: number, value: EdnValue, listWorkload: boolean): Promise<Completion> {
  const ms = micros(value);
  // Read-only txns cannot tell lists from registers by their micro-ops: the workload decides.
  const lists = isLists(ms) || listWorkload;
  if (c.bugs.has('non-atomic-txn') && ms.length > 1) return nonAtomic(c, node, ms, lists);
  if (c.bugs.has('lost-update')) return snapshotThenWrite(c, node, ms, lists);
  if (c.bugs.has('read-committed')) return readCommitted(c, node, ms, lists);
  const r = await c.propose(node, (get): { result: EdnValue; writes: Writes } => {
    const { done, writes } = evalMicros(ms, get, lists);
    return { result: done, writes: [...writes] };
  });
  return fromProposal(r, (v) => v);
}

/** A failure after part of a transaction committed is not a clean failure: report it unknown. */
function partial(r: ProposalResult & { ok: false }, committedSomething: boolean): Completion {
  return { type: r.definite && !committedSomething ? 'fail' : 'info', error: kw(r.error) };
}

/** `non-atomic-txn`: the first half and the second half commit as separate entries. */
async function nonAtomic(c: MemoryCluster, node: number, ms: Micro[], lists: boolean): Promise<Completion> {
  const mid = Math.ceil(ms.length / 2);
  const out: Micro[] = [];
  for (const [i, half] of [ms.slice(0, mid), ms.slice(mid)].entries()) {
    if (i > 0) await sleepMs(1 + Math.floor(c.random() * 4));
    const r = await c.propose(node, (get) => {
      const { done, writes } = evalMicros(half, get, lists);
      return { result: done, writes: [...writes] };
    });
    if (!r.ok) return partial(r, i > 0);
    out.push(...(r.result as Micro[]));
  }
  return { type: 'ok', value: out };
}

/** `lost-update`: reads (and the values to write) come from one commit, the writes land in a later one. */
async function snapshotThenWrite(c: MemoryCluster, node: number, ms: Micro[], lists: boolean): Promise<Completion> {
  let pendingWrites: Map<string, EdnValue> = new Map();
  const r1 = await c.propose(node, (get) => {
    const { done, writes } = evalMicros(ms, get, lists);
    pendingWrites = writes;
    return { result: done, writes: [] };
  });
  if (!r1.ok) return partial(r1, false);
  if (pendingWrites.size > 0) {
    // A wide window between the reads and the writes, so concurrent read-modify-writes overlap.
    await sleepMs(3 + Math.floor(c.random() * 10));
    const ws = [...pendingWrites];
    const r2 = await c.propose(node, () => ({ result: null, writes: ws }));
    if (!r2.ok) return partial(r2, false);
  }
  return { type: 'ok', value: r1.result };
}

/** `read-committed`: every read sees the latest commit at its own moment; the writes apply together at the end. */
async function readCommitted(c: MemoryCluster, node: number, ms: Micro[], lists: boolean): Promise<Completion> {
  const buffered = new Map<string, EdnValue>();
  const appended = new Map<string, EdnValue[]>();
  const firstReads = new Map<string, EdnValue>();
  const out: Micro[] = [];
  for (const m of ms) {
    const key = keyOf(m, lists);
    if (m[0] === R) {
      if (buffered.has(key)) {
        out.push([R, m[1], buffered.get(key)!]);
        continue;
      }
      // A key read twice gives the same answer (so the anomalies are between keys, not `internal`).
      let seen = firstReads.get(key);
      if (seen === undefined) {
        const r = await c.propose(node, (get) => ({ result: get(key) ?? null, writes: [] }));
        if (!r.ok) return partial(r, false);
        seen = r.result;
        firstReads.set(key, seen);
        // A window after each first read, so commits of concurrent transactions land between its reads.
        await sleepMs(1 + Math.floor(c.random() * 4));
      }
      const mine = appended.get(key);
      out.push([R, m[1], mine === undefined ? seen : [...((seen ?? []) as EdnValue[]), ...mine]]);
    } else {
      if (m[0] === APPEND) appended.set(key, [...(appended.get(key) ?? []), m[2]]);
      else buffered.set(key, m[2]);
      out.push(m);
    }
  }
  if (buffered.size > 0 || appended.size > 0) {
    const r = await c.propose(node, (get) => {
      const ws: Array<[string, EdnValue]> = [...buffered];
      for (const [k, vs] of appended) ws.push([k, [...((get(k) ?? []) as EdnValue[]), ...vs]]);
      return { result: null, writes: ws };
    });
    if (!r.ok) return partial(r, false);
  }
  return { type: 'ok', value: out };
}
