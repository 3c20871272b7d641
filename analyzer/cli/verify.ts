/**
 * `hindsight verify HISTORY CERTIFICATE`: checks a `check --certificate` file against the history
 * with code of its own (analyzer/verify/). Exit 0 when it holds, 1 naming the first step that
 * does not, 3 when a file cannot be read. See docs/certificates.md.
 */
import type { Command } from 'commander';
import { verifyCertificate } from '../verify/index.js';
import { EXIT_BAD_INPUT, EXIT_INVALID, EXIT_VALID } from './exit.js';

/** Adds `hindsight verify`. */
export function addVerifyCommand(program: Command, log: (s: string) => void, err: (s: string) => void): void {
  program
    .command('verify')
    .description('check a certificate (check --certificate) against its history, without the checkers\' search')
    .argument('<history>', 'the history the certificate is about')
    .argument('<certificate>', 'the certificate file')
    .addHelpText('after', '\nExit status: 0 the certificate holds; 1 it does not (the first step that fails is named); 3 a file cannot be read.\nSee docs/certificates.md.\n')
    .action(async (history: string, certificate: string) => {
      let v;
      try {
        v = await verifyCertificate(history, certificate);
      } catch (e) {
        err(`hindsight: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        process.exitCode = EXIT_BAD_INPUT;
        return;
      }
      if (v.holds) log(`the certificate holds: ${v.checked.join(', ')}`);
      else log(`the certificate does not hold: ${v.why}`);
      process.exitCode = v.holds ? EXIT_VALID : EXIT_INVALID;
    });
}
