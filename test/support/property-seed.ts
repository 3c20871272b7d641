/**
 * Loaded before every test file (scripts/run-tests.mjs passes it with --import): property tests
 * that name no seed of their own draw from HINDSIGHT_SEED, which the runner picks once per run and
 * prints, so any failure can be replayed with `HINDSIGHT_SEED=N npm test`.
 */
import fc from 'fast-check';

const seed = Number(process.env.HINDSIGHT_SEED);
if (Number.isSafeInteger(seed)) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
