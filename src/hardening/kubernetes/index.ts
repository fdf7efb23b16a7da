/**
 * The Kubernetes posture engine's public surface, shared by `k8s scan` and the admission webhook:
 * load objects, evaluate the catalogue with parameters and exceptions, read policies and constraints.
 * Everything here is synchronous and free of I/O except the `read*` helpers and the live cluster listing.
 */

export {
  type ClusterInventoryDocument,
  clusterInventoryDocument,
  INVENTORY_WORKLOAD_KINDS,
} from './cluster-inventory.js';
export { CONTROLS } from './controls/index.js';
export type { Control, ControlFailure, EvalContext, Standard, StandardSelection } from './controls/types.js';
export { STANDARDS } from './controls/types.js';
export {
  controlSelected,
  type EvaluatedResult,
  type EvaluateOptions,
  type Evaluation,
  evaluate,
  evaluateDetailed,
  resourceOf,
} from './evaluate.js';
export { exceptionCovers, type KubeException, kubeExceptionSchema, matchExceptions } from './exceptions.js';
export { type Constraint, parseConstraint, readConstraintDir } from './gatekeeper/constraints.js';
export { constraintFindings, evaluateWithConstraints } from './gatekeeper/evaluate.js';
export { Inventory } from './inventory.js';
export { listClusterObjects } from './live/cluster.js';
export { assessedObjects, type LoadedScope, loadScope, type ScopeOptions } from './load-scope.js';
export { readInputs } from './objects/files.js';
export { loadObjects, loadParsed } from './objects/load.js';
export { podSpecOf } from './objects/pod-spec.js';
export type {
  AdmissionContext,
  KubeObject,
  LoadError,
  LoadedObject,
  LoadResult,
  ObjectInput,
} from './objects/types.js';
export { type Policy, parsePolicy, readPolicyFile } from './parameters/policy-file.js';
export { DEFAULT_PARAMETERS, type Parameters, parametersSchema } from './parameters/schema.js';
export { evaluatePss } from './pss/evaluate.js';
export { LATEST_PSS_VERSION, parsePssVersion } from './pss/version.js';
export type { AssessedObject } from './report.js';
export { gateFailures, scanReport } from './report.js';
export { type KubernetesScanOptions, type KubernetesScanOutcome, scanKubernetes } from './scan-kubernetes.js';
