/** Piscina worker: searches one strongly connected component for cycles of the named classes. */
import { cycleClass } from './cycle-classes.js';
import { type ClassSearch, searchComponent } from './cycle-search.js';

/** One component and the classes to search it for, as sent to a worker (typed arrays are copied). */
export interface ComponentTask {
  n: number;
  off: Int32Array;
  dst: Int32Array;
  kind: Uint8Array;
  classes: string[];
  deadline: number;
}

/** The worker's task: searchComponent on the component; throws for an unknown class name. */
export default function searchTask(task: ComponentTask): ClassSearch[] {
  const classes = task.classes.map((name) => {
    const c = cycleClass(name);
    if (c === undefined) throw new Error(`unknown cycle class ${name}`);
    return c;
  });
  return searchComponent({ n: task.n, off: task.off, dst: task.dst, kind: task.kind }, classes, task.deadline);
}
