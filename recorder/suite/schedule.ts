/** Making a suite's runs N at once where their backend allows it (`suite --parallel`). */

/**
 * Runs `work` for every index in `todo`, started in that order: up to `width` at once while the
 * indices `shareable` accepts follow one another; any other index waits until nothing else is
 * running and runs alone (a namespace cluster is one per machine and name). A failing `work`
 * stops further starts; its error is thrown once everything started has settled.
 */
export async function schedule(todo: readonly number[], width: number, shareable: (i: number) => boolean, work: (i: number) => Promise<void>): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for (const i of todo) {
    const alone = !shareable(i);
    while (running.size > 0 && (alone || running.size >= width)) await Promise.race(running);
    if (failure !== undefined) break;
    const p: Promise<void> = work(i)
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => running.delete(p));
    running.add(p);
    if (alone) await p;
  }
  await Promise.all(running);
  if (failure !== undefined) throw failure.error;
}
