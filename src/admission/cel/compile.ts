import type { ASTNode } from '@marcbachmann/cel-js';
import { meterExpression, withinCallLimit } from '../../cel/cost.js';
import { RegexSyntaxError, userRegex } from '../../regex/re2.js';
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

const REGEX_FUNCTIONS = new Set(['re2Matches', 'find', 'findAll']);

/**
 * A pattern written as a literal is compiled with the expression, so one RE2 refuses (a backreference, a
 * look-around) is an error when the policy loads, as in Kubernetes, not on the first object that reaches it.
 */
function checkLiteralPatterns(ast: ASTNode, source: string): void {
  walk(ast, (n) => {
    if ((n.op !== 'rcall' && n.op !== 'call') || !Array.isArray(n.args)) return;
    const [name, ...rest] = n.args as unknown[];
    if (typeof name !== 'string' || !REGEX_FUNCTIONS.has(name)) return;
    const args = (n.op === 'rcall' ? rest[1] : rest[0]) as ASTNode[] | undefined;
    const pattern = n.op === 'rcall' ? args?.[0] : args?.[1];
    if (pattern?.op !== 'value' || typeof pattern.args !== 'string') return;
    try {
      userRegex(pattern.args);
    } catch (error) {
      if (error instanceof RegexSyntaxError) throw new ExpressionCompileError(source, error.message);
      throw error;
    }
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
  checkLiteralPatterns(parsed.ast as ASTNode, source);
  const checked = parsed.check();
  if (!checked.valid) throw new ExpressionCompileError(source, errorReason(checked.error));
  if (expected && checked.type !== expected && checked.type !== 'dyn')
    throw new ExpressionCompileError(source, `must evaluate to ${expected}, not ${checked.type}`);
  meterExpression(parsed.ast as ASTNode);
  const run = (activation: Record<string, unknown>) => withinCallLimit(() => parsed(activation));
  return Object.assign(run, { source });
}
