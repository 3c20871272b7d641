/** Every checker's options on a command, as `check`, `recheck` and `shrink` all take them. */
import { type Command, Option } from 'commander';
import { mergeCheckerFlags } from '../check/flags.js';
import { checkers } from '../checkers/registry.js';

/**
 * Adds every registered checker's options to `cmd`, merged (a flag several checkers define is
 * declared shared by each), leaving out the flags in `own` (the command's own). Returns the
 * options' camelCase names, to pick the checkers' options out of what commander gives.
 */
export function addCheckerOptions(cmd: Command, own: Iterable<string>): Set<string> {
  const keys = new Set<string>();
  for (const { option: o, description } of mergeCheckerFlags(checkers.values(), new Set(own))) {
    const opt = new Option(o.flags, description);
    if (o.parse) opt.argParser(o.parse);
    if (o.default !== undefined) opt.default(o.default);
    keys.add(opt.attributeName());
    cmd.addOption(opt);
  }
  return keys;
}
