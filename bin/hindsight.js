#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm ci` through the prepare script, or `npm run build`).
import { run } from '../dist/recorder/cli/main.js';

process.exitCode = await run(process.argv);
