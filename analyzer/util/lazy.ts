/**
 * A module loaded on first use, so that a process pays only for the code it runs
 * (`const analysis = lazy(() => import('./check.js'))`, then `(await analysis()).run(…)`).
 *
 * One catch, and why `preload` exists: running from sources under tsx, a piscina worker thread
 * cannot import a module dynamically once it is running (tsx's hooks do not reach those later
 * imports: "Cannot find module …/check.js imported from …/checker.ts"; tsx's issues #354 and
 * kin). A worker-thread entry that runs checkers therefore imports their lazy parts statically
 * and hands them over with `preload` (lazy-modules.ts), and no dynamic import happens there.
 */

/** A module loaded on first call (see this file's header). */
export interface Lazy<T> {
  (): Promise<T>;
  /** Supplies the module already loaded: later calls import nothing. */
  preload(module: T): void;
}

/** `importer`'s module, imported at the first call and kept. */
export function lazy<T>(importer: () => Promise<T>): Lazy<T> {
  let loaded: T | undefined;
  let pending: Promise<T> | undefined;
  const get = (() => {
    if (loaded !== undefined) return Promise.resolve(loaded);
    pending ??= importer().then((m) => (loaded = m));
    return pending;
  }) as Lazy<T>;
  get.preload = (m: T) => {
    loaded = m;
  };
  return get;
}
