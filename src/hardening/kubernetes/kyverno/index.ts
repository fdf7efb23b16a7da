export {
  evaluateKyvernoPolicy,
  type KyvernoEvalOptions,
  type RuleResult,
  type RuleStatus,
} from './engine.js';
export {
  type FailureAction,
  isKyvernoPolicy,
  type KyvernoPolicy,
  type KyvernoRule,
  parseKyvernoPolicy,
  type Unsupported,
  type UnsupportedCode,
} from './policy.js';
export { type KyvernoPolicySet, kyvernoResults, readKyvernoPolicies } from './posture.js';
