import { Environment } from '@marcbachmann/cel-js';
import { CEL_LIBRARIES } from './libraries/index.js';

/** The variables every admission expression may read; all dynamically typed, as Kubernetes objects are. */
export const CEL_VARIABLES = [
  'object',
  'oldObject',
  'request',
  'params',
  'namespaceObject',
  'variables',
] as const;

let shared: Environment | undefined;

/**
 * The Kubernetes CEL environment: the CEL standard library, optional types, `cel.bind`, and every library in
 * `libraries/`. Built once (building is the expensive part) and shared: it is never changed after this.
 */
export function kubernetesEnvironment(): Environment {
  if (shared) return shared;
  const env = new Environment({
    unlistedVariablesAreDyn: false,
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: true,
  });
  for (const name of CEL_VARIABLES) env.registerVariable(name, 'dyn');
  for (const lib of CEL_LIBRARIES) lib.registerTypes(env);
  for (const lib of CEL_LIBRARIES) lib.registerFunctions(env);
  shared = env;
  return env;
}
