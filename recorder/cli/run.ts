/** Development entry: `npx tsx recorder/cli/run.ts <command> …` runs the whole CLI from sources. */
import { run } from './main.js';

process.exitCode = await run(process.argv);
