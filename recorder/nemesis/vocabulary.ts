/**
 * The fault vocabulary as text, from the table and the backends' registry: what
 * `docs/recorder.md` shows between its `vocabulary` markers (`npx tsx scripts/vocabulary.ts
 * --write` rewrites it; a test holds the two equal, so the page never lags the code).
 */
import { backendNamed, backendNames, loadBackends } from '../core/backends.js';
import { FAULT_KINDS, faultNamed } from './faults.js';

/** The markdown: per backend its workloads and faults (with each fault kind's summary), then the targets. */
export async function vocabularyMarkdown(): Promise<string> {
  await loadBackends();
  const lines: string[] = ['| backend | workloads | faults |', '|---|---|---|'];
  for (const name of backendNames()) {
    const b = backendNamed(name)!;
    const refused = Object.keys(b.faultRefusals ?? {});
    lines.push(`| \`${name}\` | ${b.workloads.map((w) => `\`${w}\``).join(', ')} | ${b.faults.map((f) => `\`${f}\``).join(', ')}${refused.length > 0 ? `; refuses ${refused.map((f) => `\`${f}\``).join(', ')} (it says why)` : ''} |`);
  }
  lines.push('', '| fault | what it does | default target | backends |', '|---|---|---|---|');
  for (const k of FAULT_KINDS) {
    const has = backendNames().filter((n) => backendNamed(n)!.faults.some((f) => faultNamed(f) === k));
    lines.push(`| \`${k.name}\` | ${k.summary} | \`${k.defaultTarget}\` | ${has.join(', ') || '—'} |`);
  }
  return lines.join('\n');
}

/** `text` with the part between `<!-- vocabulary -->` and `<!-- /vocabulary -->` replaced by `body`. */
export function withVocabulary(text: string, body: string): string {
  const m = /(<!-- vocabulary -->\n)[\s\S]*?(<!-- \/vocabulary -->)/.exec(text);
  if (m === null) throw new Error('no <!-- vocabulary --> … <!-- /vocabulary --> markers');
  return text.slice(0, m.index) + m[1] + body + '\n' + m[2] + text.slice(m.index + m[0].length);
}
