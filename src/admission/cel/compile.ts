import type { ASTNode } from '@marcbachmann/cel-js';
import { meterExpression, withinCallLimit } from '../../cel/cost.js';
import { kubernetesEnvironment } from './environment.js';

/** A compiled expression: evaluate against an activation (the CEL variables). Throws on evaluation errors. */
export type CompiledExpression = ((activation: Record<string, unknown>) => unknown) & { source: string };

/** Why an expression did not compile: the first line of the parser's or type checker's message. */
export class ExpressionCompileError extends Error {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ExpressionCompileError';
  }
}

function walk(node: unknown, visit: (n: ASTNode) => void, seen = new Set<unknown>()): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const x of node) walk(x, visit, seen);
    return;
  }
  const n = node as ASTNode;
  if (typeof n.op !== 'string') return;
  visit(n);
  walk(n.args, visit, seen);
}

/** CEL's `matches` is RE2; the library's uses JavaScript syntax. Calls are routed to the RE2 translation. */
function useRe2Matches(ast: ASTNode): void {
  walk(ast, (n) => {
    if ((n.op === 'rcall' || n.op === 'call') && Array.isArray(n.args) && n.args[0] === 'matches')
      (n.args as unknown[])[0] = 're2Matches';
  });
}

export function errorReason(error: unknown): string {
  const e = error as { summary?: unknown; message?: unknown };
  const text = typeof e?.summary === 'string' ? e.summary : String(e?.message ?? error);
  return text.split('\n')[0]!;
}

/** Parse and type-check once; `expected` is the result type the caller needs (`bool`, `string`), if any. */
export function compileExpression(source: string, expected?: 'bool' | 'string'): CompiledExpression {
  const env = kubernetesEnvironment();
  let parsed: ReturnType<typeof env.parse>;
  try {
    parsed = env.parse(source);
  } catch (error) {
    throw new ExpressionCompileError(source, errorReason(error));
  }
  useRe2Matches(parsed.ast as ASTNode);
  const checked = parsed.check();
  if (!checked.valid) throw new ExpressionCompileError(source, errorReason(checked.error));
  if (expected && checked.type !== expected && checked.type !== 'dyn')
    throw new ExpressionCompileError(source, `must evaluate to ${expected}, not ${checked.type}`);
  meterExpression(parsed.ast as ASTNode);
  const run = (activation: Record<string, unknown>) => withinCallLimit(() => parsed(activation));
  return Object.assign(run, { source });
}
