import type { KubeObject, LoadedObject } from '../../objects/types.js';
import { type Conditions, evaluateConditions } from '../conditions.js';
import { baseContext, withValues, withVariables } from '../context.js';
import { search } from '../jmespath/search.js';
import type { KyvernoPolicy } from '../policy.js';
import {
  autogenView,
  inPolicyNamespace,
  type KyvernoEvalOptions,
  ruleTarget,
  templatePath,
} from '../targets.js';
import { deepEqual, isObject } from '../values.js';
import { substitute, substituteAll } from '../variables.js';
import { applyJson6902, parseJson6902 } from './json6902.js';
import { AnchorConditionError, applyStrategicMerge } from './strategic-merge.js';

type Rec = Record<string, unknown>;

/** What one mutate rule did to one object: `pass` when it changed it, `skip` when it did not apply or changed nothing. */
export interface MutationResult {
  policy: string;
  rule: string;
  /** `autogen-<rule>` when it mutated a pod controller's template. */
  appliedAs: string;
  status: 'pass' | 'skip' | 'error';
  message: string;
}

export interface MutationOutcome {
  /** The object after every rule that applied (the input object itself when none changed it). */
  object: KubeObject;
  results: MutationResult[];
}

/** One patch block (the rule's `mutate` or a foreach entry) on a resource, variables substituted from context. */
function applyPatches(block: Rec, resource: unknown, context: Rec): unknown {
  let out = resource;
  if (block.patchStrategicMerge !== undefined)
    out = applyStrategicMerge(out, substituteAll(block.patchStrategicMerge, context));
  if (block.patchesJson6902 !== undefined) {
    const raw = block.patchesJson6902;
    out = applyJson6902(out, parseJson6902(typeof raw === 'string' ? substitute(raw, context) : raw));
  }
  return out;
}

/** `request.object` follows the resource as the rule patches it. */
function withObject(context: Rec, object: unknown): Rec {
  return { ...context, request: { ...(context.request as Rec), object } };
}

/** Each element of each foreach `list`, in `order`: element preconditions, then its patch on the result so far. */
function applyForeach(entries: unknown[], resource: unknown, context: Rec): unknown {
  let out = resource;
  for (const entry of entries.filter(isObject)) {
    const list = search(withObject(context, out), String(substituteAll(entry.list ?? '', context)));
    if (!Array.isArray(list)) continue;
    const indices = list.map((_, i) => i);
    if (entry.order === 'Descending') indices.reverse();
    for (const index of indices) {
      let ctx: Rec = { ...withObject(context, out), element: list[index], elementIndex: index };
      ctx = { ...ctx, element0: list[index], elementIndex0: index };
      if (Array.isArray(entry.context)) ctx = withVariables(ctx, entry.context.filter(isObject));
      if (!evaluateConditions(entry.preconditions as Conditions | undefined, ctx)) continue;
      try {
        out = applyPatches(entry, out, ctx);
      } catch (error) {
        if (!(error instanceof AnchorConditionError)) throw error;
      }
    }
  }
  return out;
}

/** A pod controller with its template replaced by the (mutated) pod view. */
function spliceTemplate(object: KubeObject, pod: Rec): KubeObject {
  const copy = structuredClone(object);
  let at: Rec = copy;
  for (const k of templatePath(object.kind)) {
    if (!isObject(at[k])) at[k] = {};
    at = at[k] as Rec;
  }
  at.metadata = pod.metadata;
  at.spec = pod.spec;
  return copy;
}

/**
 * Apply a Kyverno policy's mutate rules to one object, in order, each on the result of the previous one (as
 * Kyverno does): match/exclude, PolicyExceptions, preconditions and autogen as for validation; then
 * `patchStrategicMerge` (with anchors), `patchesJson6902` or `foreach`. A rule whose conditions do not hold, or
 * that changes nothing, is skipped; one that fails (a variable that does not resolve, a patch that does not
 * apply) is an error and leaves the object as it was.
 */
export function mutateKyvernoPolicy(
  policy: KyvernoPolicy,
  item: LoadedObject,
  options: KyvernoEvalOptions = {},
): MutationOutcome {
  let object = item.object;
  const results: MutationResult[] = [];
  if (!inPolicyNamespace(policy, object)) return { object, results };
  for (const rule of policy.rules) {
    if (!rule.mutate) continue;
    const current: LoadedObject = { ...item, object };
    const applied = ruleTarget(policy, rule, current, options, autogenView(policy, object));
    if (!applied) continue;
    const { target, appliedAs, values, exception } = applied;
    const result = (status: MutationResult['status'], message: string) =>
      results.push({ policy: policy.name, rule: rule.name, appliedAs, status, message });
    if (exception) {
      result('skip', `rule set aside by PolicyException ${exception.name}`);
      continue;
    }
    try {
      const supplied = new Set(Object.keys(values ?? {}));
      const targetItem = target === object ? current : { ...current, object: target };
      const context = withVariables(
        withValues(baseContext(target, targetItem), values),
        rule.context,
        supplied,
      );
      if (!evaluateConditions(rule.preconditions as Conditions | undefined, context)) {
        result('skip', 'preconditions not met');
        continue;
      }
      const m = rule.mutate;
      const patched = Array.isArray(m.foreach)
        ? applyForeach(m.foreach, target, context)
        : applyPatches(m, target, context);
      if (deepEqual(patched, target)) {
        result('skip', 'no change');
        continue;
      }
      object = target === object ? (patched as KubeObject) : spliceTemplate(object, patched as Rec);
      result('pass', 'mutated');
    } catch (error) {
      if (error instanceof AnchorConditionError) result('skip', `anchor condition not met: ${error.message}`);
      else result('error', (error as Error).message);
    }
  }
  return { object, results };
}
