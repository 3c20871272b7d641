/** The child process.test.ts forks: it does what its argument says, through serveMeasuredChild. */
import { isMeasuredChild, peakRssMB, serveMeasuredChild } from '../../analyzer/bench/process.js';

/** What the child is told to do. */
export interface ChildOrder {
  do: 'report' | 'throw' | 'exit' | 'hang';
}

if (isMeasuredChild()) {
  await serveMeasuredChild<ChildOrder, { peakRssMB: number; argv: string[] }>(async (order, progress) => {
    if (order.do === 'throw') throw new Error('no luck');
    if (order.do === 'exit') {
      process.stderr.write('some noise\nlast words\n');
      process.exit(7);
    }
    if (order.do === 'hang') {
      progress({ step: 1 });
      await new Promise((resolve) => setInterval(resolve, 60_000));
    }
    return { peakRssMB: peakRssMB(), argv: process.execArgv };
  });
}
