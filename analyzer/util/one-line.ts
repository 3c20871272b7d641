/**
 * Messages meant to be one line (errors, warnings, verdict lines) often echo what a history
 * holds: a key, a value, an op. Echoed as is, a newline in a JSON key splits the message, a
 * right-to-left override reorders what the reader sees, and a 50 MB value drowns the terminal.
 * `oneLine` makes any such text safe to print on one line.
 */

/** Longest one-line message, in characters, before the rest is cut. */
export const ONE_LINE_MAX = 2000;

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * C0 controls and DEL, C1 controls, line and paragraph separators, and the bidirectional
 * controls (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069).
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  return ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A size as a person reads it: `812 bytes`, `3.4 KB`, `49.9 MB`. */
export function humanBytes(n: number): string {
  if (n < 1000) return `${n} byte${n === 1 ? '' : 's'}`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} KB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(1)} GB`;
}

/**
 * `text` with every unprintable character escaped (`\n`, `\u202e`) and, past `max`
 * characters, cut with `… 49.9 MB more` saying how much was left out.
 */
export function oneLine(text: string, max = ONE_LINE_MAX): string {
  let head = text;
  let cut = '';
  if (text.length > max) {
    head = text.slice(0, max);
    cut = `… ${humanBytes(Buffer.byteLength(text.slice(max)))} more`;
  }
  return head.replace(UNPRINTABLE, escapeChar) + cut;
}
