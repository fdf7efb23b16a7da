import { withinPolicyBudget } from '../../cel/cost.js';
import {
  type CompiledExpression,
  compileExpression,
  ExpressionCompileError,
  errorReason,
} from './compile.js';
import { CelPolicyError } from './errors.js';

export type FailurePolicy = 'Fail' | 'Ignore';

interface Validation {
  expression: CompiledExpression;
  message?: string;
  messageExpression?: CompiledExpression;
  reason?: string;
}

/** The compiled expressions of one policy (a VAP spec or a Gatekeeper `K8sNativeValidation` source). */
export interface Program {
  policy: string;
  variables: { name: string; expression: CompiledExpression }[];
  matchConditions: { name: string; expression: CompiledExpression }[];
  validations: Validation[];
  auditAnnotations: { key: string; valueExpression: CompiledExpression }[];
  failurePolicy: FailurePolicy;
}

/** The declarative parts of a program, as they appear in a policy object. */
export interface ProgramSource {
  variables?: { name: string; expression: string }[];
  matchConditions?: { name: string; expression: string }[];
  validations?: { expression: string; message?: string; messageExpression?: string; reason?: string }[];
  auditAnnotations?: { key: string; valueExpression: string }[];
  failurePolicy?: FailurePolicy;
}

/** Compile every expression once; the first that fails throws a CelPolicyError naming the policy and field. */
export function compileProgram(policy: string, source: ProgramSource, base = 'spec'): Program {
  const compile = (field: string, expr: string, type?: 'bool' | 'string') => {
    try {
      return compileExpression(expr, type);
    } catch (error) {
      const reason = error instanceof ExpressionCompileError ? error.reason : errorReason(error);
      throw new CelPolicyError(policy, `${base}.${field}`, expr, reason);
    }
  };
  return {
    policy,
    variables: (source.variables ?? []).map((v, i) => ({
      name: v.name,
      expression: compile(`variables[${i}].expression`, v.expression),
    })),
    matchConditions: (source.matchConditions ?? []).map((m, i) => ({
      name: m.name,
      expression: compile(`matchConditions[${i}].expression`, m.expression, 'bool'),
    })),
    validations: (source.validations ?? []).map((v, i) => ({
      expression: compile(`validations[${i}].expression`, v.expression, 'bool'),
      ...(v.message !== undefined ? { message: v.message } : {}),
      ...(v.messageExpression !== undefined
        ? { messageExpression: compile(`validations[${i}].messageExpression`, v.messageExpression, 'string') }
        : {}),
      ...(v.reason !== undefined ? { reason: v.reason } : {}),
    })),
    auditAnnotations: (source.auditAnnotations ?? []).map((a, i) => ({
      key: a.key,
      valueExpression: compile(`auditAnnotations[${i}].valueExpression`, a.valueExpression),
    })),
    failurePolicy: source.failurePolicy ?? 'Fail',
  };
}

/** What one program said about one request (with one set of params). */
export interface ProgramOutcome {
  /** False when a match condition was false: the policy does not apply. */
  matched: boolean;
  failures: { message: string; reason?: string }[];
  auditAnnotations: Record<string, string>;
}

/**
 * Lazily evaluated `variables`: each is computed on first use, once per request, and may use earlier ones.
 * Errors are remembered and raised again on each use.
 */
function lazyVariables(
  program: Program,
  activation: Record<string, unknown>,
  preset: Record<string, unknown>,
) {
  const vars: Record<string, unknown> = { ...preset };
  for (const v of program.variables) {
    let state: { value: unknown } | { error: unknown } | undefined;
    Object.defineProperty(vars, v.name, {
      enumerable: true,
      get() {
        if (!state) {
          try {
            state = { value: v.expression(activation) };
          } catch (error) {
            state = { error };
          }
        }
        if ('error' in state) throw state.error;
        return state.value;
      },
    });
  }
  return vars;
}

/** An evaluation error as Kubernetes words it, applied through the failure policy. */
function failed(expr: CompiledExpression, error: unknown): string {
  return `expression '${expr.source}' resulted in error: ${errorReason(error)}`;
}

function messageOf(v: Validation, activation: Record<string, unknown>): string {
  if (v.messageExpression) {
    try {
      const m = v.messageExpression(activation);
      if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m;
    } catch {
      // Kubernetes falls back to the static message when messageExpression fails.
    }
  }
  return v.message ?? `failed expression: ${v.expression.source}`;
}

/**
 * Run a program: match conditions (any false skips the policy; otherwise an error goes through the failure
 * policy), then validations and audit annotations. `base` holds object, oldObject, request, params,
 * namespaceObject; `presetVariables` are engine-provided variables (Gatekeeper's `params`, `anyObject`);
 * `policy` names the audit annotation keys (`<policy>/<key>`).
 */
export function runProgram(
  program: Program,
  base: Record<string, unknown>,
  presetVariables: Record<string, unknown> = {},
  policy = program.policy,
): ProgramOutcome {
  return withinPolicyBudget(() => evaluateProgram(program, base, presetVariables, policy));
}

function evaluateProgram(
  program: Program,
  base: Record<string, unknown>,
  presetVariables: Record<string, unknown>,
  policy: string,
): ProgramOutcome {
  const activation: Record<string, unknown> = { ...base };
  activation.variables = lazyVariables(program, activation, presetVariables);
  const outcome: ProgramOutcome = { matched: true, failures: [], auditAnnotations: {} };
  const onError = (message: string) => {
    if (program.failurePolicy === 'Fail') outcome.failures.push({ message, reason: 'InternalError' });
  };
  let conditionError: string | undefined;
  for (const m of program.matchConditions) {
    try {
      const r = m.expression(activation);
      if (r === false) return { ...outcome, matched: false };
      if (r !== true) conditionError ??= `matchCondition '${m.name}' must evaluate to bool`;
    } catch (error) {
      conditionError ??= failed(m.expression, error);
    }
  }
  if (conditionError !== undefined) {
    onError(conditionError);
    return outcome;
  }
  for (const v of program.validations) {
    try {
      const r = v.expression(activation);
      if (r === true) continue;
      if (r !== false) {
        onError(`expression '${v.expression.source}' must evaluate to bool`);
        continue;
      }
      outcome.failures.push({ message: messageOf(v, activation), reason: v.reason ?? 'Invalid' });
    } catch (error) {
      onError(failed(v.expression, error));
    }
  }
  for (const a of program.auditAnnotations) {
    try {
      const value = a.valueExpression(activation);
      if (value === null) continue;
      if (typeof value !== 'string') throw new Error(`valueExpression must evaluate to string or null`);
      outcome.auditAnnotations[`${policy}/${a.key}`] = value;
    } catch (error) {
      onError(failed(a.valueExpression, error));
    }
  }
  return outcome;
}
