/** A small XML well-formedness check for the plot tests (no parser among the dependencies). */

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function checkText(s: string, where: string): void {
  if (s.replace(ENTITY, '').includes('&')) throw new Error(`${where}: a bare & in ${JSON.stringify(s)}`);
  if (s.includes('>') && where.startsWith('attribute')) throw new Error(`${where}: > in ${JSON.stringify(s)}`);
}

/** Throws an Error saying what is wrong; returns the element names in document order. */
export function assertWellFormedXml(text: string): string[] {
  const names: string[] = [];
  const open: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*"[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt === -1 ? text.length : lt);
    checkText(chunk, 'text');
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(text);
    if (m === null) throw new Error(`malformed tag at ${lt}: ${JSON.stringify(text.slice(lt, lt + 60))}`);
    const [whole, close, name, attrs, selfClose] = m;
    for (const a of attrs.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) checkText(a[2], `attribute ${a[1]} of <${name}>`);
    const attrNames = [...attrs.matchAll(/([\w:.-]+)\s*=/g)].map((a) => a[1]);
    if (new Set(attrNames).size !== attrNames.length) throw new Error(`<${name}> repeats an attribute`);
    if (close) {
      const top = open.pop();
      if (top !== name) throw new Error(`</${name}> closes <${String(top)}>`);
    } else {
      names.push(name);
      if (!selfClose) open.push(name);
    }
    i = lt + whole.length;
  }
  if (open.length > 0) throw new Error(`unclosed <${open.join('>, <')}>`);
  return names;
}
