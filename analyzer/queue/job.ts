/**
 * One job of the recheck queue: what the coordinator (`recheck --queue`) puts in Redis for one
 * history, and what a `hindsight worker` accepts. A queue is input like any other — anyone who
 * can write to that Redis can put a job in it — so a worker validates every job before it
 * uses any of it (`validateJob`), and reads paths only under its own `--shared-root`.
 *
 * A job names its history in one of two ways: a path relative to the shared root (the archive
 * is on a file system every worker mounts, perhaps at different places), or the history's bytes
 * themselves, gzipped, in the job (`--ship`). Options travel as JSON; EDN integers too big for
 * a double travel as `{"$bigint": "…"}`.
 */
import { gzip } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { checkerNamed } from '../checkers/registry.js';

/** The BullMQ queue recheck uses. */
export const QUEUE_NAME = 'hindsight-recheck';
/** The job format this code writes and reads. */
export const JOB_FORMAT = 1;

/** A checker option's value as it travels in a job. */
export type JobOptionValue = string | number | boolean | null | { $bigint: string } | JobOptionValue[];

/** Where the job's history is: under the shared root, or in the job. */
export type JobSource = { path: string } | { shipped: string; bytes: number };

/** One history to check, as a job's data (see this file's header). */
export interface QueueJob {
  format: typeof JOB_FORMAT;
  /** The coordinator's code version: a worker running other code refuses the job (its verdict would be cached under the wrong key). */
  code: string;
  /** The check's cache key (64 hex digits). */
  key: string;
  /** Store a cacheable verdict under `key` (false under `--no-cache`). */
  cache: boolean;
  /** The history file as the user named it: its name in every message. */
  name: string;
  source: JobSource;
  checkers: string[];
  options: Record<string, JobOptionValue>;
  guessIndependent: boolean;
  /** The backstop deadline, from `--time-limit`; null: none. */
  limitMs: number | null;
}

/** A job that cannot be used, with why. */
export class InvalidJob extends Error {
  constructor(message: string) {
    super(`invalid job: ${message}`);
    this.name = 'InvalidJob';
  }
}

/** `options` as they travel; throws InvalidJob naming the first value that cannot (a nested map). */
export function encodeOptions(options: Record<string, unknown>): Record<string, JobOptionValue> {
  const enc = (v: unknown, where: string): JobOptionValue => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new InvalidJob(`option ${where} is ${v}, which JSON cannot carry`);
      return v;
    }
    if (typeof v === 'bigint') return { $bigint: v.toString() };
    if (Array.isArray(v)) return v.map((x, i) => enc(x, `${where}[${i}]`));
    throw new InvalidJob(`option ${where} (${Object.prototype.toString.call(v)}) cannot travel through the queue`);
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined).map(([k, v]) => [k, enc(v, k)]));
}

/** The options of a validated job as the checkers take them. */
export function decodeOptions(options: Record<string, JobOptionValue>): Record<string, unknown> {
  const dec = (v: JobOptionValue): unknown => (Array.isArray(v) ? v.map(dec) : v !== null && typeof v === 'object' ? BigInt(v.$bigint) : v);
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k, dec(v)]));
}

const gzipAsync = promisify(gzip);

/**
 * The history `file` as a shipped source: its bytes gzipped (a file that already is gzip goes
 * as it is), base64. Rejects when the compressed bytes exceed `limitBytes`, saying so.
 */
export async function shipHistory(file: string, name: string, limitBytes: number): Promise<JobSource> {
  const raw = await readFile(file);
  const packed = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b ? raw : await gzipAsync(raw);
  if (packed.length > limitBytes) {
    throw new Error(`${name}: ${mb(packed.length)} compressed, over --ship-limit ${mb(limitBytes)}; put the archive on a file system every worker mounts and pass --shared-root instead`);
  }
  return { shipped: packed.toString('base64'), bytes: raw.length };
}

const mb = (n: number): string => (n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MB`);

/** True for a JSON object (not an array, not null): what a job's data and a worker's outcome must be. */
export const isJsonObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const MAX_NAME = 4096;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function validOption(v: unknown, depth: number): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return depth < 4 && v.length <= 10_000 && v.every((x) => validOption(x, depth + 1));
  return isJsonObject(v) && Object.keys(v).length === 1 && typeof v.$bigint === 'string' && /^-?\d{1,400}$/.test(v.$bigint);
}

/**
 * `data` as a `QueueJob`, or throws `InvalidJob` saying what is wrong: every field's type, a
 * relative path with no `..` (where it leads is checked again against the real directory
 * tree when it is opened), known checker names, plain option values, a well-formed key.
 */
export function validateJob(data: unknown): QueueJob {
  if (!isJsonObject(data)) throw new InvalidJob('not an object');
  if (data.format !== JOB_FORMAT) throw new InvalidJob(`format ${JSON.stringify(data.format)}; this worker reads format ${JOB_FORMAT} (is it another hindsight version?)`);
  if (typeof data.code !== 'string' || data.code.length > 200) throw new InvalidJob('code is not a version string');
  if (typeof data.key !== 'string' || !/^[0-9a-f]{64}$/.test(data.key)) throw new InvalidJob('key is not 64 hex digits');
  if (typeof data.cache !== 'boolean') throw new InvalidJob('cache is not a boolean');
  if (typeof data.name !== 'string' || data.name === '' || data.name.length > MAX_NAME || data.name.includes('\0')) throw new InvalidJob('name is not a file name');
  const src = data.source;
  if (!isJsonObject(src)) throw new InvalidJob('source is not an object');
  if ('path' in src) {
    const p = src.path;
    if (typeof p !== 'string' || p === '' || p.length > MAX_NAME || p.includes('\0')) throw new InvalidJob('source.path is not a path');
    if (p.startsWith('/') || p.split('/').some((seg) => seg === '..')) throw new InvalidJob(`source.path ${JSON.stringify(p)} leaves the shared root`);
  } else if ('shipped' in src) {
    if (typeof src.shipped !== 'string' || src.shipped.length % 4 !== 0 || !BASE64.test(src.shipped)) throw new InvalidJob('source.shipped is not base64');
    if (typeof src.bytes !== 'number' || !Number.isSafeInteger(src.bytes) || src.bytes < 0) throw new InvalidJob('source.bytes is not a byte count');
  } else {
    throw new InvalidJob('source has neither path nor shipped');
  }
  if (!Array.isArray(data.checkers) || data.checkers.length > 32 || !data.checkers.every((c) => typeof c === 'string')) throw new InvalidJob('checkers is not a list of names');
  const unknown = (data.checkers as string[]).filter((c) => checkerNamed(c) === undefined);
  if (unknown.length > 0) throw new InvalidJob(`unknown checker ${unknown.join(', ')}`);
  if (!isJsonObject(data.options)) throw new InvalidJob('options is not an object');
  for (const [k, v] of Object.entries(data.options)) {
    if (!/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(k)) throw new InvalidJob(`option name ${JSON.stringify(k.slice(0, 64))} is not an option name`);
    if (!validOption(v, 0)) throw new InvalidJob(`option ${k} is not a plain value`);
  }
  if (typeof data.guessIndependent !== 'boolean') throw new InvalidJob('guessIndependent is not a boolean');
  if (data.limitMs !== null && !(typeof data.limitMs === 'number' && Number.isFinite(data.limitMs) && data.limitMs > 0)) throw new InvalidJob('limitMs is not a positive number or null');
  return data as unknown as QueueJob;
}
