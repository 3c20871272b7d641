/** Development entry: `npx tsx analyzer/cli/run.ts check …` runs the analyzer-only CLI from sources. */
import { main } from './main.js';

process.exitCode = await main(process.argv);
