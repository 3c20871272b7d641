/**
 * The command-line flags of every registered checker, merged into one `check` command. A flag
 * several checkers define must be declared `shared` by each (one value serves them all); its
 * help names which checker means what. Any other collision is refused when the CLI is built,
 * so no checker's option is silently fed another's value.
 */
import type { Checker, CheckerOption } from './checker.js';

/** One flag of the `check` command, merged from every checker that defines it. */
export interface MergedFlag {
  /** The first definition's syntax, parser and default. */
  option: CheckerOption;
  /** The help text: the description, or each checker's own where they differ. */
  description: string;
}

const longName = (o: CheckerOption): string => /--[a-z0-9-]+/.exec(o.flags)?.[0] ?? o.flags;

/**
 * The key an option's value has in `check`'s options record: commander's attribute name for
 * its long flag, camelCased without `--` (and without `no-` for a negation), e.g.
 * `--total-amount <n>` → `totalAmount`.
 */
export function optionKey(option: Pick<CheckerOption, 'flags'>): string {
  const long = /--([a-z0-9-]+)/i.exec(option.flags)?.[1] ?? option.flags;
  return long.replace(/^no-/, '').replace(/-([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
}

/**
 * `options` with each string value of an option that declares `parse` parsed, as the CLI
 * would have parsed it: a library caller may pass `totalAmount: '100'`, and a stored test map
 * gives strings. Values already parsed are left as they are, so a `parse` that returns a
 * string must accept its own output. Throws what `parse` throws (a `UsageError`).
 */
export function parseStringOptions(checker: Pick<Checker<Record<string, unknown>>, 'options'>, options: Record<string, unknown>): Record<string, unknown> {
  let out = options;
  for (const o of checker.options ?? []) {
    if (o.parse === undefined) continue;
    const key = optionKey(o);
    const raw = options[key];
    if (typeof raw !== 'string') continue;
    if (out === options) out = { ...options };
    out[key] = o.parse(raw, undefined);
  }
  return out;
}

/** Every checker flag not in `taken` (the command's own), merged; throws on an unshared collision. */
export function mergeCheckerFlags(all: Iterable<Checker<Record<string, unknown>>>, taken: ReadonlySet<string>): MergedFlag[] {
  const by = new Map<string, { checker: string; option: CheckerOption }[]>();
  for (const c of all) {
    for (const o of c.options ?? []) {
      const long = longName(o);
      if (taken.has(long)) continue;
      by.set(long, [...(by.get(long) ?? []), { checker: c.name, option: o }]);
    }
  }
  const out: MergedFlag[] = [];
  for (const [long, defs] of by) {
    if (defs.length > 1 && defs.some((d) => d.option.shared !== true)) {
      throw new Error(`checker option ${long} is defined by ${defs.map((d) => d.checker).join(', ')} without being declared shared by each`);
    }
    const texts = new Map<string, string[]>();
    for (const d of defs) texts.set(d.option.description, [...(texts.get(d.option.description) ?? []), d.checker]);
    const description =
      defs.length === 1 ? defs[0]!.option.description : [...texts].map(([text, names]) => `${names.join(', ')}: ${text}`).join('; ');
    out.push({ option: defs[0]!.option, description });
  }
  return out;
}
