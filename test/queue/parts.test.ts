/** The queue's parts without Redis: the address, job validation, options in transit, outcomes, the progress text. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../../analyzer/check/checker.js';
import { JOB_FORMAT, type QueueJob, decodeOptions, encodeOptions, shipHistory, validateJob } from '../../analyzer/queue/job.js';
import { parseOutcome } from '../../analyzer/queue/outcome.js';
import { queueStatusText } from '../../analyzer/queue/status.js';
import { parseQueueAddress, redactUrl, scrub } from '../../analyzer/queue/url.js';
import { batchProgress } from '../../analyzer/recheck/progress.js';
import { tempDir } from '../support/tmp.js';

test('queue address: parsed, the password never in what is printed, REDISCLI_AUTH used when the URL has none', () => {
  const a = parseQueueAddress('redis://:s3cret@db.example:6380/2', {});
  assert.equal(a.redacted, 'redis://:***@db.example:6380/2');
  assert.equal(a.password, 's3cret');
  assert.equal(parseQueueAddress('redis://alice:p%40ss@h:1/0', {}).redacted, 'redis://alice:***@h:1/0');
  assert.equal(parseQueueAddress('redis://alice:p%40ss@h:1/0', {}).password, 'p@ss');
  const env = parseQueueAddress('redis://127.0.0.1:7000', { REDISCLI_AUTH: 'from-env' });
  assert.equal(env.password, 'from-env');
  assert.equal(env.redacted, 'redis://:***@127.0.0.1:7000');
  assert.equal(parseQueueAddress('redis://127.0.0.1:7000', {}).password, undefined);
  const bad = (raw: string, message: string): void => assert.throws(() => parseQueueAddress(raw, {}), (e: unknown) => e instanceof UsageError && e.message === message);
  bad('http://:pw@h:1', '--queue takes a redis:// or rediss:// address, got http://:***@h:1');
  bad('redis://:pw@h:1/queue', '--queue redis://:***@h:1/queue: the path must be a database number (/0 … /15), not /queue');
  bad('not a url', '--queue takes redis://HOST:PORT[/DB], got not a url');
  bad('redis://h:1/0?x=1', '--queue redis://h:1/0?x=1: no ?query or #fragment is taken');
  assert.equal(redactUrl('connect to rediss://u:pw@h:1 failed'), 'connect to rediss://u:***@h:1 failed');
  assert.equal(scrub('AUTH s3cret refused', a), 'AUTH *** refused');
});

const job = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  format: JOB_FORMAT,
  code: '0.1.0+0123456789abcdef',
  key: 'a'.repeat(64),
  cache: true,
  name: 'store/x/history.edn',
  source: { path: 'store/x/history.edn' },
  checkers: ['linearizable'],
  options: { model: 'cas-register', init: 0, big: { $bigint: '123456789012345678901234567890' }, models: ['a', 'b'] },
  guessIndependent: false,
  limitMs: null,
  ...over,
});

test('validateJob accepts a well-formed job and names what is wrong with any other', () => {
  const ok: QueueJob = validateJob(job());
  assert.equal(ok.name, 'store/x/history.edn');
  assert.ok(validateJob(job({ source: { shipped: 'H4sI', bytes: 10 }, limitMs: 5000 })));
  const bad = (data: unknown, message: string): void => assert.throws(() => validateJob(data), { name: 'InvalidJob', message });
  bad(null, 'invalid job: not an object');
  bad([1], 'invalid job: not an object');
  bad(job({ format: 2 }), 'invalid job: format 2; this worker reads format 1 (is it another hindsight version?)');
  bad(job({ key: 'x' }), 'invalid job: key is not 64 hex digits');
  bad(job({ source: { path: '../../etc/passwd' } }), 'invalid job: source.path "../../etc/passwd" leaves the shared root');
  bad(job({ source: { path: '/etc/passwd' } }), 'invalid job: source.path "/etc/passwd" leaves the shared root');
  bad(job({ source: { path: 'a/../../b' } }), 'invalid job: source.path "a/../../b" leaves the shared root');
  bad(job({ source: { shipped: 'not base64!', bytes: 1 } }), 'invalid job: source.shipped is not base64');
  bad(job({ source: {} }), 'invalid job: source has neither path nor shipped');
  bad(job({ checkers: ['linearizable', 'rm -rf'] }), 'invalid job: unknown checker rm -rf');
  bad(job({ checkers: 'linearizable' }), 'invalid job: checkers is not a list of names');
  bad(job({ options: { __proto__x: 1 } }), 'invalid job: option name "__proto__x" is not an option name');
  bad(job({ options: { model: { nested: true } } }), 'invalid job: option model is not a plain value');
  bad(job({ name: 'a\0b' }), 'invalid job: name is not a file name');
  bad(job({ limitMs: -1 }), 'invalid job: limitMs is not a positive number or null');
  bad(job({ cache: 'yes' }), 'invalid job: cache is not a boolean');
});

test('options travel as JSON and come back as the checkers take them, EDN big integers included', () => {
  const options = { model: 'cas-register', init: 0, big: 123456789012345678901234567890n, models: ['serializable'], nil: null, independent: true };
  const wire = JSON.parse(JSON.stringify(encodeOptions(options))) as ReturnType<typeof encodeOptions>;
  assert.deepEqual(wire.big, { $bigint: '123456789012345678901234567890' });
  assert.deepEqual(decodeOptions(validateJob(job({ options: wire })).options), options);
  assert.throws(() => encodeOptions({ m: new Map() }), { name: 'InvalidJob', message: 'invalid job: option m ([object Map]) cannot travel through the queue' });
  assert.throws(() => encodeOptions({ t: Infinity }), { message: 'invalid job: option t is Infinity, which JSON cannot carry' });
});

test('shipHistory gzips a history (a gzip file goes as it is) and refuses one over the limit, saying what to do', async () => {
  const dir = tempDir();
  const file = join(dir, 'h.edn');
  const text = '{:type :invoke, :process 0, :f :read, :value nil}\n'.repeat(200);
  writeFileSync(file, text);
  const s = await shipHistory(file, 'store/h.edn', 1 << 20);
  assert.ok('shipped' in s);
  assert.equal(s.bytes, text.length);
  assert.equal(gunzipSync(Buffer.from(s.shipped, 'base64')).toString(), text);
  const gz = join(dir, 'h.edn.gz');
  writeFileSync(gz, Buffer.from(s.shipped, 'base64'));
  const again = await shipHistory(gz, 'h.edn.gz', 1 << 20);
  assert.ok('shipped' in again && again.shipped === s.shipped);
  await assert.rejects(shipHistory(file, 'store/h.edn', 10), {
    message: `store/h.edn: ${(Buffer.from(s.shipped, 'base64').length / 1024).toFixed(1)} KB compressed, over --ship-limit 0.0 KB; put the archive on a file system every worker mounts and pass --shared-root instead`,
  });
});

test('parseOutcome takes a worker summary and refuses anything else', () => {
  const s = { ops: 8, verdict: 'invalid', detail: 'G-single', seconds: 0.1, warnings: 0, cacheable: true, worker: 'h:1' };
  assert.deepEqual(parseOutcome(s), s);
  assert.equal(parseOutcome({ ...s, verdict: 'maybe' }), undefined);
  assert.equal(parseOutcome({ ...s, ops: 1.5 }), undefined);
  assert.equal(parseOutcome({ ...s, detail: 3 }), undefined);
  assert.equal(parseOutcome('valid'), undefined);
});

test('the queue part of the progress line: queued, running, per-worker rates, time left; Redis trouble instead when it is away', () => {
  const workers = new Map([
    ['b:2', { checked: 10, first: 0, last: 0 }],
    ['a:1', { checked: 30, first: 0, last: 0 }],
  ]);
  assert.equal(queueStatusText({ waiting: 20, active: 3, workers }, 40, 100, 0, 10_000), '20 queued, 3 running · a:1 3.0/s, b:2 1.0/s · 15 s left');
  assert.equal(queueStatusText({ waiting: 5, active: 0, workers: new Map() }, 0, 5, 0, 1000), '5 queued, 0 running · none checked yet');
  assert.equal(queueStatusText({ waiting: 5, active: 0, workers, redisError: 'connect ECONNREFUSED 127.0.0.1:6390' }, 0, 5, 0, 1000), 'waiting for Redis: connect ECONNREFUSED 127.0.0.1:6390');
});

test('the progress line with the queue: counts where non-zero, the queue part, and the bar only where it fits', () => {
  const draw = (columns: number): string => {
    let text = '';
    const tty = { isTTY: true, columns, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
    const p = batchProgress({ stream: tty, suffix: () => '2 queued, 1 running · w1 1.0/s · 2 s left' });
    p.begin(4);
    p.update(1, 4, 'valid');
    p.update(2, 4, 'error');
    p.update(3, 4, 'valid');
    p.update(4, 4, 'valid'); // the last is drawn whatever the throttle
    p.clear();
    return text.split('\r').filter((s) => s !== '' && s !== '\x1b[K').at(-1) ?? '';
  };
  assert.match(draw(120), /^recheck \[#+\] 4\/4 \(3 valid, 1 errors\) · 2 queued, 1 running · w1 1\.0\/s · 2 s left\x1b\[K$/);
  assert.equal(draw(70), 'recheck 4/4 (3 valid, 1 errors) · 2 queued, 1 running · w1 1.0/s · 2…\x1b[K');
});
