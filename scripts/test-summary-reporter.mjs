// A node:test reporter for scripts/run-tests.mjs: writes one JSON object with the number of tests
// that ran, failed and were skipped, and every top-level test's file, name and duration (so the runner
// can print the slowest). The spec reporter still prints what a person reads.
export default async function* summary(source) {
  let tests = 0;
  let failed = 0;
  let skipped = 0;
  const durations = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    if (d.details?.type === 'suite') continue;
    tests++;
    if (event.type === 'test:fail') failed++;
    else if (d.skip !== undefined && d.skip !== false) skipped++;
    if (d.nesting === 0) durations.push({ file: d.file ?? '', name: d.name, ms: d.details?.duration_ms ?? 0 });
  }
  yield JSON.stringify({ tests, failed, skipped, durations }) + '\n';
}
