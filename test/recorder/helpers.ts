/** Shared test options for recording short runs on the embedded database. */
import type { TestOptions } from '../../recorder/core/types.js';
import { checkerNamed } from '../../analyzer/checkers/registry.js';
import { tempDir } from '../support/tmp.js';

/** A fresh store directory, removed when the test process exits. */
export function tempStore(): string {
  return tempDir('hindsight-store-');
}

export function testOptions(o: Partial<TestOptions> & { workload: string }): TestOptions {
  return {
    name: `memory-${o.workload}`,
    db: 'memory',
    nodes: ['n1', 'n2', 'n3', 'n4', 'n5'],
    concurrency: 5,
    timeLimit: 2,
    seed: 1,
    store: tempStore(),
    nemesis: [],
    nemesisInterval: 0.5,
    bugs: [],
    rate: 300,
    opTimeoutMs: 1000,
    leaveDbRunning: false,
    extra: {},
    ...o,
  };
}

/** `{skip}` for a test whose checker another engineer has not registered yet. */
export function needs(checker: string): { skip?: string } {
  return checkerNamed(checker) === undefined ? { skip: `checker ${checker} not yet registered` } : {};
}
