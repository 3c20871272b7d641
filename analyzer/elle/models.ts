/** The consistency-model table, as the checker uses it (one import site to swap). */
export { anomaliesToCheck, canonicalModel, knownModels, modelsRuledOut } from './consistency-stub.js';
