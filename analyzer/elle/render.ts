/**
 * Pictures of a cycle: Graphviz DOT, and a self-contained SVG (no Graphviz needed) with the
 * few transactions of the cycle placed on a circle, each edge labelled with its kind and key.
 * Every piece of history text goes through `escapeHtml`, so odd keys or values cannot break the
 * picture, and invisible ones (a right-to-left override) show as `\u202E`.
 */
import { printEdn } from '../edn/print.js';
import type { EdnRecord, EdnValue } from '../edn/values.js';
import { escapeHtml } from '../render/escape.js';

/** What a cycle's picture shows: its transactions and labelled edges. */
export interface CyclePicture {
  type: string;
  /** Node labels, e.g. "T1" and a detail line. */
  nodes: { name: string; detail: string }[];
  /** Edge i goes from node i to node i+1 (mod n). */
  edges: { label: string }[];
}

/** The picture of an explained cycle record ({:cycle [ops…], :steps […]}). */
export function pictureOf(type: string, record: EdnRecord): CyclePicture {
  const ops = (record.cycle as EdnRecord[]).slice(0, -1);
  const steps = record.steps as EdnRecord[];
  return {
    type,
    nodes: ops.map((op, i) => ({ name: `T${i + 1}`, detail: `op ${printEdn(op.index ?? null)}` })),
    edges: steps.map((s) => ({ label: stepLabel(s) })),
  };
}

function stepLabel(s: EdnRecord): string {
  const t = printEdn(s.type ?? null).replace(/^:/, '');
  if (s.key === undefined) return t;
  const v = (x: EdnValue | undefined) => (x === undefined ? '' : printEdn(x));
  const vals = s["value'"] !== undefined ? ` ${v(s.value)}→${v(s["value'"])}` : s.value !== undefined ? ` ${v(s.value)}` : '';
  return `${t} ${printEdn(s.key)}${vals}`;
}

function dotString(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
}

/** The picture as Graphviz DOT text. */
export function cycleDot(p: CyclePicture): string {
  const lines = [`digraph ${dotString(p.type)} {`, '  node [shape=ellipse];'];
  p.nodes.forEach((n, i) => lines.push(`  n${i} [label=${dotString(`${n.name}\n${n.detail}`)}];`));
  p.edges.forEach((e, i) => lines.push(`  n${i} -> n${(i + 1) % p.nodes.length} [label=${dotString(e.label)}];`));
  lines.push('}');
  return lines.join('\n') + '\n';
}

const EDGE_COLOURS: Record<string, string> = { ww: '#1f77b4', wr: '#2ca02c', rw: '#d62728', process: '#7f7f7f', realtime: '#9467bd' };

/** A standalone SVG of the cycle. */
export function cycleSvg(p: CyclePicture): string {
  const n = p.nodes.length;
  const r = Math.max(90, n * 40);
  const pad = 110;
  const size = 2 * (r + pad);
  const cx = size / 2;
  const cy = size / 2 + 10;
  const nodeR = 30;
  const at = (i: number) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) };
  };
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 20}" viewBox="0 0 ${size} ${size + 20}" font-family="sans-serif" font-size="12">`);
  out.push('<defs>');
  for (const [name, colour] of Object.entries(EDGE_COLOURS).concat([['other', '#000']])) {
    out.push(`<marker id="arrow-${name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`);
  }
  out.push('</defs>');
  out.push(`<text x="${cx}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escapeHtml(p.type)}</text>`);
  for (let i = 0; i < n; i++) {
    const a = at(i);
    const b = at((i + 1) % n);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    // Bend each edge outward (nodes go clockwise, so (uy, -ux) points away from the centre);
    // a 2-cycle's two edges then bend to opposite sides.
    const mx = (a.x + b.x) / 2 + uy * 30;
    const my = (a.y + b.y) / 2 - ux * 30;
    const sx = a.x + ux * nodeR;
    const sy = a.y + uy * nodeR;
    const ex = b.x - ux * nodeR;
    const ey = b.y - uy * nodeR;
    const kind = p.edges[i].label.split(' ')[0];
    const colour = EDGE_COLOURS[kind] ?? '#000';
    const marker = EDGE_COLOURS[kind] !== undefined ? kind : 'other';
    out.push(`<path d="M${f(sx)},${f(sy)} Q${f(mx)},${f(my)} ${f(ex)},${f(ey)}" fill="none" stroke="${colour}" stroke-width="2" marker-end="url(#arrow-${marker})"/>`);
    const anchor = uy > 0.3 ? 'start' : uy < -0.3 ? 'end' : 'middle';
    out.push(`<text x="${f(mx + uy * 6)}" y="${f(my - ux * 14 + 4)}" text-anchor="${anchor}" fill="${colour}">${escapeHtml(p.edges[i].label)}</text>`);
  }
  for (let i = 0; i < n; i++) {
    const a = at(i);
    out.push(`<circle cx="${f(a.x)}" cy="${f(a.y)}" r="${nodeR}" fill="#fff" stroke="#333" stroke-width="1.5"/>`);
    out.push(`<text x="${f(a.x)}" y="${f(a.y - 2)}" text-anchor="middle" font-weight="bold">${escapeHtml(p.nodes[i].name)}</text>`);
    out.push(`<text x="${f(a.x)}" y="${f(a.y + 12)}" text-anchor="middle" font-size="10">${escapeHtml(p.nodes[i].detail)}</text>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function f(x: number): string {
  return x.toFixed(1);
}

/** The SVG of one cycle anomaly as the result map holds it ({:type :G-single-item, :cycle …, :steps …}); for the HTML report. */
export function anomalySvg(anomaly: EdnRecord): string {
  const t = anomaly.type;
  const type = typeof t === 'object' && t !== null && 'name' in t ? String((t as { name: string }).name) : String(t);
  return cycleSvg(pictureOf(type, anomaly));
}
