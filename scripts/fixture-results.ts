/**
 * Prints (or with --write, saves) the verdict, keys and digest of every fixture's results; the
 * table test/architecture/fixture-results.test.ts holds a refactor to.
 */
import { writeFileSync } from 'node:fs';
import { fixtureResults } from '../test/support/fixture-results.js';

const table = await fixtureResults('fixtures');
const text = JSON.stringify(table, null, 1) + '\n';
if (process.argv.includes('--write')) writeFileSync('test/architecture/fixture-results.json', text);
else process.stdout.write(text);
