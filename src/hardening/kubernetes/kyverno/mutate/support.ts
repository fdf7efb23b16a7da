import { CONDITION_OPERATORS } from '../conditions.js';
import { expressionsIn, operatorsIn } from '../expressions.js';
import { expressionProblem } from '../jmespath/search.js';
import type { Unsupported } from '../policy.js';
import { isObject } from '../values.js';
import { parseJson6902 } from './json6902.js';
import { invalidMutationAnchors } from './strategic-merge.js';

type Rec = Record<string, unknown>;

const MUTATE_KEYS = new Set(['patchStrategicMerge', 'patchesJson6902', 'foreach']);
const FOREACH_KEYS = new Set([
  'list',
  'context',
  'preconditions',
  'patchStrategicMerge',
  'patchesJson6902',
  'order',
]);

/** A patch block (the rule's `mutate` or a foreach entry): its strategic merge anchors and JSON patch. */
function patchProblem(block: Rec, where: string): Unsupported | undefined {
  const anchors = invalidMutationAnchors(block.patchStrategicMerge);
  if (anchors.length)
    return { code: 'unsupported-feature', feature: `${where}patchStrategicMerge key ${anchors[0]}` };
  const json = block.patchesJson6902;
  if (json !== undefined && !(typeof json === 'string' && json.includes('{{')))
    try {
      parseJson6902(json);
    } catch (error) {
      return { code: 'invalid-policy', feature: `${where}patchesJson6902: ${(error as Error).message}` };
    }
  if (block.patchStrategicMerge === undefined && json === undefined && block.foreach === undefined)
    return { code: 'invalid-policy', feature: `${where}mutate without a patch` };
  return undefined;
}

/**
 * What of a rule's `mutate` Bulkhead cannot apply at admission, or undefined: mutate-existing (`targets`),
 * nested foreach, fields it does not know, anchors Kyverno does not define for mutation, operators and
 * expressions that do not parse.
 */
export function mutationProblem(rule: Rec): Unsupported | undefined {
  const m = rule.mutate;
  if (!isObject(m)) return { code: 'invalid-policy', feature: 'mutate is not a map' };
  if (m.targets !== undefined) return { code: 'mutation', feature: 'mutate existing (targets)' };
  for (const k of Object.keys(m))
    if (!MUTATE_KEYS.has(k)) return { code: 'unsupported-feature', feature: `mutate.${k}` };
  if (rule.celPreconditions) return { code: 'unsupported-feature', feature: 'celPreconditions' };
  const own = m.foreach === undefined ? patchProblem(m, '') : undefined;
  if (own) return own;
  for (const f of Array.isArray(m.foreach) ? m.foreach : m.foreach === undefined ? [] : [m.foreach]) {
    if (!isObject(f)) return { code: 'invalid-policy', feature: 'mutate.foreach entry is not a map' };
    for (const k of Object.keys(f))
      if (!FOREACH_KEYS.has(k))
        return {
          code: 'unsupported-feature',
          feature: k === 'foreach' ? 'nested mutate.foreach' : `mutate.foreach.${k}`,
        };
    const p = patchProblem(f, 'foreach ');
    if (p) return p;
  }
  for (const op of operatorsIn([rule.preconditions, m.foreach]))
    if (!CONDITION_OPERATORS.has(op)) return { code: 'unsupported-feature', feature: `operator ${op}` };
  for (const expr of expressionsIn([rule.preconditions, m, rule.context])) {
    const problem = expressionProblem(expr);
    if (problem) return { code: 'unsupported-feature', feature: `expression {{${expr}}}: ${problem}` };
  }
  return undefined;
}
