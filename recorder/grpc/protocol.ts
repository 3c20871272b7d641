/**
 * proto/client.proto loaded at run time with @grpc/proto-loader, plus the message shapes as
 * TypeScript types and the EDN ↔ `Value` conversions both sides use.
 */
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { parseEdn } from '../../analyzer/edn/scanner.js';
import { printEdn } from '../../analyzer/edn/print.js';
import type { EdnValue } from '../../analyzer/edn/values.js';
import { packaged } from '../../analyzer/util/paths.js';

/** An EDN value on the wire: an integer, nil, or EDN text (`kind` says which field is set). */
export interface ValueMsg {
  edn?: string;
  integer?: number;
  nil?: boolean;
  kind?: 'edn' | 'integer' | 'nil';
}
/** Open: a session for one logical process bound to one node (`process` -1: the nemesis). */
export interface OpenRequest {
  node: string;
  process: number;
  workload: string;
  test_edn: string;
}
/** Open's reply: the session id for Invoke and Close. */
export interface OpenReply {
  session: string;
}
/** Invoke: one op of a session. */
export interface InvocationMsg {
  session: string;
  process: number;
  f: string;
  value?: ValueMsg | null;
}
/**
 * Invoke's reply: `ok`/`fail`/`info` (anything else is read as `info`), an optional value, and `:error` as EDN text (empty: none).
 */
export interface CompletionMsg {
  type: string;
  value?: ValueMsg | null;
  error: string;
}
/** Close: ends a session. */
export interface CloseRequest {
  session: string;
}

/** Finds proto/ from both the sources (recorder/grpc/) and the build (dist/recorder/grpc/). */
function protoDir(): string {
  const p = packaged(import.meta.url, join('proto', 'client.proto'));
  if (p === undefined) throw new Error('proto/client.proto not found next to the hindsight installation');
  return dirname(p);
}

let loaded: grpc.ServiceClientConstructor | undefined;

/** The generated `hindsight.client.Client` service constructor (also carries `.service` for servers). */
export function clientService(): grpc.ServiceClientConstructor {
  if (loaded) return loaded;
  const def = protoLoader.loadSync(join(protoDir(), 'client.proto'), { keepCase: true, longs: Number, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { hindsight: { client: { Client: grpc.ServiceClientConstructor } } };
  loaded = pkg.hindsight.client.Client;
  return loaded;
}

/** `v` on the wire: nil and safe integers natively, anything else as EDN text. */
export function toValueMsg(v: EdnValue): ValueMsg {
  if (v === null) return { nil: true };
  if (typeof v === 'number' && Number.isSafeInteger(v)) return { integer: v };
  return { edn: printEdn(v) };
}

/**
 * The EDN value of `m`; undefined when it is absent or sets no field. Throws on EDN text that does not parse.
 */
export function fromValueMsg(m: ValueMsg | null | undefined): EdnValue | undefined {
  if (m === null || m === undefined || m.kind === undefined) return undefined;
  if (m.kind === 'nil') return null;
  if (m.kind === 'integer') return Number(m.integer);
  return parseEdn(m.edn ?? 'nil');
}

/** The `:error` of a completion: undefined for empty text, the EDN it holds, or else the text itself. */
export function parseErrorText(s: string): EdnValue | undefined {
  if (s === '') return undefined;
  try {
    return parseEdn(s);
  } catch {
    return s;
  }
}
