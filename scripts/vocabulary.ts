/** Prints the fault vocabulary table, or with --write puts it into docs/recorder.md between its markers. */
import { readFileSync, writeFileSync } from 'node:fs';
import { vocabularyMarkdown, withVocabulary } from '../recorder/nemesis/vocabulary.js';

const body = await vocabularyMarkdown();
if (process.argv.includes('--write')) {
  const file = new URL('../docs/recorder.md', import.meta.url);
  writeFileSync(file, withVocabulary(readFileSync(file, 'utf8'), body));
} else process.stdout.write(body + '\n');
