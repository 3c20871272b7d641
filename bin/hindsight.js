#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm ci`/`npm run build`).
import { main } from '../dist/analyzer/cli/main.js';

process.exitCode = await main(process.argv);
