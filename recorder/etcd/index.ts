/** Registers the etcd backend (`--db etcd`) with the recorder; imported by core/backends.ts. */
import { registerBackend } from '../core/backends.js';
import { etcdBackend } from './backend.js';

registerBackend(etcdBackend);
export { etcdBackend };
