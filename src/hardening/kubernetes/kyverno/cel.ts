import { compileProgram, type Program, runProgram } from '../../../admission/cel/program.js';
import { toCel } from '../../../admission/cel/values.js';
import type { LoadedObject } from '../objects/types.js';

type Rec = Record<string, unknown>;

const compiled = new WeakMap<Rec, Program>();

/** Compile a rule's `validate.cel` once (its expressions, message expressions and variables). */
function programOf(cel: Rec): Program {
  let p = compiled.get(cel);
  if (!p) {
    const expressions = Array.isArray(cel.expressions) ? (cel.expressions as Rec[]) : [];
    p = compileProgram(
      'validate.cel',
      {
        variables: Array.isArray(cel.variables)
          ? (cel.variables as { name: string; expression: string }[])
          : [],
        validations: expressions.map((e) => ({
          expression: String(e.expression),
          ...(typeof e.message === 'string' ? { message: e.message } : {}),
          ...(typeof e.messageExpression === 'string' ? { messageExpression: e.messageExpression } : {}),
          ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
        })),
      },
      'validate.cel',
    );
    compiled.set(cel, p);
  }
  return p;
}

/** Compile at load: a CEL body that does not compile is a policy error, not a passing rule. */
export function compileCel(cel: Rec): void {
  programOf(cel);
}

/** Messages of the failed `validate.cel` expressions on an object, through the CEL engine the VAP path uses. */
export function celFailures(cel: Rec, object: unknown, item: LoadedObject): string[] {
  const a = item.admission;
  const o = object as { metadata?: { name?: string; namespace?: string } };
  const base = {
    object: toCel(object),
    oldObject: toCel(a?.oldObject ?? null),
    namespaceObject: null,
    params: null,
    request: toCel({
      operation: a?.operation ?? 'CREATE',
      name: o.metadata?.name ?? '',
      namespace: o.metadata?.namespace ?? a?.namespace ?? '',
      userInfo: { username: a?.userInfo?.username ?? '', groups: a?.userInfo?.groups ?? [] },
    }),
  };
  return runProgram(programOf(cel), base).failures.map((f) => f.message);
}
