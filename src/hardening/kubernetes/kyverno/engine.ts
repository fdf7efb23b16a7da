import type { PodSpecView } from '../objects/pod-spec.js';
import { podSpecOf } from '../objects/pod-spec.js';
import type { KubeObject, LoadedObject } from '../objects/types.js';
import { celFailures } from './cel.js';
import { type Conditions, evaluateConditions } from './conditions.js';
import { baseContext, withValues, withVariables } from './context.js';
import { search } from './jmespath/search.js';
import { matchPattern, mismatchSkips } from './pattern.js';
import { podSecurityViolations } from './pod-security.js';
import type { FailureAction, KyvernoPolicy, KyvernoRule, Unsupported } from './policy.js';
import { autogenView, inPolicyNamespace, type KyvernoEvalOptions, ruleTarget } from './targets.js';
import { isObject } from './values.js';
import { hasVariables, substitute, substituteAll } from './variables.js';

export type { KyvernoEvalOptions } from './targets.js';

type Rec = Record<string, unknown>;

export type RuleStatus = 'pass' | 'fail' | 'skip' | 'error' | 'unsupported';

/** What one rule said about one object. */
export interface RuleResult {
  policy: string;
  /** The rule's name as the policy writes it. */
  rule: string;
  /** Kyverno's name for the rule as applied: `autogen-<rule>` / `autogen-cronjob-<rule>` on pod controllers. */
  appliedAs: string;
  status: RuleStatus;
  message: string;
  failureAction: FailureAction;
  unsupported?: Unsupported;
}

interface Outcome {
  status: 'pass' | 'fail' | 'skip';
  message?: string;
}

function messageOf(rule: KyvernoRule, context: Rec): string {
  const m = rule.validate?.message;
  if (typeof m !== 'string') return '';
  try {
    const s = substitute(m, context);
    return typeof s === 'string' ? s.trim() : JSON.stringify(s);
  } catch {
    return m.trim();
  }
}

function failText(rule: KyvernoRule, context: Rec, detail: string): string {
  const m = messageOf(rule, context);
  return `validation error: ${m ? `${m}. ` : ''}rule ${rule.name} failed${detail ? ` ${detail}` : ''}`;
}

function patternOutcome(resource: unknown, patternIn: unknown, context: Rec): Outcome {
  const pattern = hasVariables(patternIn) ? substituteAll(patternIn, context) : patternIn;
  const m = matchPattern(resource, pattern);
  if (!m) return { status: 'pass' };
  if (mismatchSkips(m)) return { status: 'skip', message: m.message };
  return { status: 'fail', message: `at path ${m.path}: ${m.message}` };
}

function anyPatternOutcome(resource: unknown, patterns: unknown, context: Rec): Outcome {
  const list = Array.isArray(patterns) ? patterns : [];
  const failures: string[] = [];
  let skipped = 0;
  for (const [i, p] of list.entries()) {
    const o = patternOutcome(resource, p, context);
    if (o.status === 'pass') return o;
    if (o.status === 'skip') skipped++;
    else failures.push(`anyPattern[${i}] ${o.message}`);
  }
  if (list.length > 0 && skipped === list.length) return { status: 'skip', message: 'all patterns skipped' };
  return { status: 'fail', message: failures.join('; ') };
}

function denyOutcome(deny: unknown, context: Rec): Outcome {
  const conditions = isObject(deny) ? (deny.conditions as Conditions | undefined) : undefined;
  return evaluateConditions(conditions, context) ? { status: 'fail', message: 'denied' } : { status: 'pass' };
}

/** What a validation block sees beside its resource. */
interface Env {
  pod: PodSpecView | null;
  item: LoadedObject;
  /** Variables supplied from outside: context entries of these names are not evaluated. */
  supplied: ReadonlySet<string>;
  /** The object the rule judges (a foreach with `elementScope: false` validates it, not the element). */
  object: unknown;
  /** foreach nesting depth (`element0`, `element1`… name the enclosing elements). */
  depth: number;
}

/** One validation block (the rule's `validate` or a `foreach` entry) against a resource. */
function validateBlock(block: Rec, resource: unknown, context: Rec, env: Env): Outcome {
  if (block.pattern !== undefined) return patternOutcome(resource, block.pattern, context);
  if (block.anyPattern !== undefined) return anyPatternOutcome(resource, block.anyPattern, context);
  if (block.deny !== undefined) return denyOutcome(block.deny, context);
  if (Array.isArray(block.foreach)) return foreachOutcome(block.foreach, context, env);
  if (isObject(block.podSecurity)) {
    if (!env.pod) return { status: 'skip', message: 'not a pod' };
    const v = podSecurityViolations(env.pod, block.podSecurity);
    if (v.length === 0) return { status: 'pass' };
    return { status: 'fail', message: v.map((x) => `${x.check}: ${x.message} (${x.field})`).join('; ') };
  }
  if (isObject(block.cel)) {
    const f = celFailures(block.cel, resource, env.item);
    return f.length === 0 ? { status: 'pass' } : { status: 'fail', message: f.join('; ') };
  }
  return { status: 'pass' };
}

/** Each element of each `list`: element preconditions, then its block; one failing element fails the rule. */
function foreachOutcome(entries: unknown[], context: Rec, env: Env): Outcome {
  let applied = 0;
  for (const entry of entries.filter(isObject)) {
    const listExpr = String(substituteAll(entry.list ?? '', context));
    const list = search(context, listExpr);
    if (!Array.isArray(list)) continue;
    for (const [index, element] of list.entries()) {
      let ctx: Rec = {
        ...context,
        element,
        elementIndex: index,
        [`element${env.depth}`]: element,
        [`elementIndex${env.depth}`]: index,
      };
      if (Array.isArray(entry.context))
        ctx = withVariables(ctx, entry.context.filter(isObject), env.supplied);
      if (!evaluateConditions(entry.preconditions as Conditions | undefined, ctx)) continue;
      const scoped = entry.elementScope === false ? env.object : element;
      const o = validateBlock(entry, scoped, ctx, { ...env, depth: env.depth + 1 });
      if (o.status === 'fail')
        return { status: 'fail', message: `${o.message ?? ''} (foreach element ${index})`.trim() };
      if (o.status === 'pass') applied++;
    }
  }
  return applied > 0 ? { status: 'pass' } : { status: 'skip', message: 'no foreach element applied' };
}

function evaluateRule(
  rule: KyvernoRule,
  object: KubeObject,
  item: LoadedObject,
  values: Readonly<Record<string, unknown>> | undefined,
): Outcome & { error?: boolean } {
  try {
    const supplied = new Set(Object.keys(values ?? {}));
    const context = withVariables(withValues(baseContext(object, item), values), rule.context, supplied);
    if (!evaluateConditions(rule.preconditions as Conditions | undefined, context))
      return { status: 'skip', message: 'preconditions not met' };
    const o = validateBlock(rule.validate ?? {}, object, context, {
      pod: podSpecOf(object),
      item,
      supplied,
      object,
      depth: 0,
    });
    if (o.status === 'fail') return { status: 'fail', message: failText(rule, context, o.message ?? '') };
    return o;
  } catch (error) {
    return { status: 'skip', message: (error as Error).message, error: true };
  }
}

/**
 * Every rule of a Kyverno policy that applies to one object (directly, or to a pod controller through
 * autogen), with its verdict. Rules that do not match give no result; unsupported rules give `unsupported`.
 */
export function evaluateKyvernoPolicy(
  policy: KyvernoPolicy,
  item: LoadedObject,
  options: KyvernoEvalOptions = {},
): RuleResult[] {
  const object = item.object;
  if (options.background && !policy.background) return [];
  if (!inPolicyNamespace(policy, object)) return [];
  const out: RuleResult[] = [];
  const autogen = autogenView(policy, object);
  for (const rule of policy.rules) {
    const applied = ruleTarget(policy, rule, item, options, autogen);
    if (!applied) continue;
    const { target, appliedAs, values, exception } = applied;
    const base = { policy: policy.name, rule: rule.name, appliedAs, failureAction: rule.failureAction };
    if (exception) {
      out.push({ ...base, status: 'skip', message: `rule set aside by PolicyException ${exception.name}` });
      continue;
    }
    // a rule that only lacks cluster data runs when the caller supplied a value for each entry that reads it
    const covered =
      !rule.blocking && rule.external.every((e) => values !== undefined && Object.hasOwn(values, e.name));
    if (rule.unsupported && !covered) {
      out.push({
        ...base,
        status: 'unsupported',
        message: `${rule.unsupported.feature} is not supported (${rule.unsupported.code})`,
        unsupported: rule.unsupported,
      });
      continue;
    }
    const o = evaluateRule(rule, target, target === object ? item : { ...item, object: target }, values);
    out.push({
      ...base,
      status: o.error ? 'error' : o.status,
      message: o.message ?? (o.status === 'pass' ? 'passed' : ''),
    });
  }
  return out;
}
