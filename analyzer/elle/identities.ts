/**
 * The two transactional workloads as known by name alone (WorkloadIdentity): what the checkers'
 * descriptors (checker.ts) need to tell results apart without loading the analysis itself.
 * append.ts and register.ts build their workloads on these.
 */
import type { WorkloadIdentity } from './workload.js';

/** list-append: `[:append k v]` / `[:r k list]`. */
export const LIST_APPEND: WorkloadIdentity = { name: 'list-append', microOps: '[:append k v] or [:r k list]', writeName: 'append', aMicroOp: 'a list-append micro-op' };

/** rw-register: `[:w k v]` / `[:r k v]`. */
export const RW_REGISTER: WorkloadIdentity = { name: 'rw-register', microOps: '[:w k v] or [:r k v]', writeName: 'w', aMicroOp: 'an rw-register micro-op' };
