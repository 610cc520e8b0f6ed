// What scripts/validate.mjs uses; it bundles this file with esbuild at start.
export { cliConfig } from './cli-config';
export { formatDiagnostic, parsePlanOutput, relevantDiagnostics, summarizeWarnings } from './diagnostics';
export { EMPTY_STATE, OVERRIDE_FILE, buildOverride } from './override';
export { providerTypesFromSchema } from './schema';
export { orderStacks } from './stacks';
