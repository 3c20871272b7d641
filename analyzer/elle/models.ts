/** The consistency-model table, as the checker uses it (one import site). */
export { anomaliesToCheck, canonicalModel, knownAnomalies, knownModels, modelsRuledOut } from './consistency/index.js';
