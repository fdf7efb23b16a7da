import { z } from 'zod';
import { compileExpression, ExpressionCompileError, errorReason } from '../../../admission/cel/compile.js';
import { toCel } from '../../../admission/cel/values.js';
import { withinPolicyBudget } from '../../../cel/cost.js';
import type { Control } from '../controls/types.js';
import { CustomCheckError, kindMatches, severityWord } from './shared.js';

/**
 * Bulkhead's own custom check: a CEL expression over `object` (and `oldObject` on an UPDATE) that is true when the
 * object complies, run on the kinds listed (`Kind`, `group/Kind`; every kind when absent).
 */
export const celCheckSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"'),
    title: z.string().min(1),
    severity: severityWord,
    kinds: z.array(z.string().min(1)).min(1).optional(),
    cel: z.string().min(1),
    message: z.string().min(1),
    remediation: z.string().optional(),
  })
  .strict();

export type CelCheckSource = z.infer<typeof celCheckSchema>;

/** Compile a CEL check into a control; an expression that does not compile (or is not a bool) is refused. */
export function celControl(source: CelCheckSource): Control {
  let expression: ReturnType<typeof compileExpression>;
  try {
    expression = compileExpression(source.cel, 'bool');
  } catch (error) {
    const reason = error instanceof ExpressionCompileError ? error.reason : errorReason(error);
    throw new CustomCheckError(`cel ${JSON.stringify(source.cel)}: ${reason}`);
  }
  return {
    id: source.id,
    title: source.title,
    severity: source.severity,
    standards: [],
    scope: 'M',
    version: 1,
    remediation: source.remediation ?? source.title,
    check(item) {
      if (source.kinds && !source.kinds.some((k) => kindMatches(k, item.object))) return null;
      const activation = {
        object: toCel(item.object),
        oldObject: toCel(item.admission?.oldObject ?? null),
      };
      try {
        const verdict = withinPolicyBudget(() => expression(activation));
        if (verdict === true) return [];
        if (verdict === false) return [{ message: source.message }];
        return [{ message: `${source.message} (the expression did not give a bool)` }];
      } catch (error) {
        // an object the expression cannot be evaluated on fails closed, as a VAP with failurePolicy Fail
        return [{ message: `${source.message} (evaluation error: ${errorReason(error)})` }];
      }
    },
  };
}
