import type { ASTNode } from '@marcbachmann/cel-js';

/**
 * Runtime cost limits of CEL evaluation, as the API server applies them: one expression may spend at most
 * PER_CALL_LIMIT, all expressions of one policy evaluation together RUNTIME_BUDGET. Cost here is one unit per
 * evaluated AST node (comprehension steps included), which bounds runaway nested loops the same way; evaluation
 * is synchronous, so without it one expression could hold the webhook's event loop past every timeout.
 */
export const PER_CALL_LIMIT = 1_000_000;
export const RUNTIME_BUDGET = 10_000_000;

/** Thrown when an evaluation runs out of cost: the failure policy decides, as for any evaluation error. */
export class CostLimitError extends Error {
  constructor(what: 'expression' | 'policy') {
    super(
      what === 'expression'
        ? `CEL evaluation stopped: one expression may cost at most ${PER_CALL_LIMIT.toLocaleString('en')}`
        : `CEL evaluation stopped: the policy's cost budget of ${RUNTIME_BUDGET.toLocaleString('en')} is spent`,
    );
    this.name = 'CostLimitError';
  }
}

/** What this module relies on of the library's AST nodes (its typings leave `evaluate` and `meta` out). */
type Evaluate = (evaluator: unknown, ast: unknown, context: unknown) => unknown;
interface Node {
  op: string;
  args: unknown;
  evaluate: Evaluate;
  readonly meta?: Record<string, unknown>;
}

/** Remaining cost (evaluation is synchronous: one meter for the process is enough). */
const meter = { call: Number.POSITIVE_INFINITY, total: Number.POSITIVE_INFINITY, calls: 0, programs: 0 };

function charge(): void {
  if (--meter.call < 0) throw new CostLimitError('expression');
  if (--meter.total < 0) throw new CostLimitError('policy');
}

/** Every AST node reachable from `ast`: arguments, comprehension parts, macro expansions, alternates. */
function nodesOf(ast: ASTNode): Node[] {
  const out: Node[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    const node = value as Node;
    if (typeof node.op === 'string' && typeof node.evaluate === 'function') {
      out.push(node);
      visit(node.args);
      visit(node.meta?.alternate);
      visit(node.meta?.macro);
      return;
    }
    // a comprehension's parts ({iterable, step, …}) or a macro's expansion: plain objects holding nodes
    for (const v of Object.values(value)) visit(v);
  };
  visit(ast);
  return out;
}

/**
 * Charges one unit each time a node of the (type-checked) expression is evaluated. The library swaps a node's
 * `evaluate` for its operator's on first use; the accessor keeps that swap and still counts every call.
 */
export function meterExpression(ast: ASTNode): void {
  for (const node of nodesOf(ast)) {
    let inner = node.evaluate;
    const metered: Evaluate = (evaluator, ast, context) => {
      charge();
      return inner.call(node, evaluator, ast, context);
    };
    Object.defineProperty(node, 'evaluate', {
      configurable: true,
      get: () => metered,
      set: (fn: Evaluate) => {
        inner = fn;
      },
    });
  }
}

/**
 * Runs one expression within PER_CALL_LIMIT (nested runs, such as lazily computed variables, share it). Errors the
 * expression itself absorbed (`error || true` is true in CEL) do not hide an exceeded limit.
 */
export function withinCallLimit<T>(run: () => T): T {
  if (meter.calls === 0) meter.call = PER_CALL_LIMIT;
  meter.calls++;
  try {
    const result = run();
    if (meter.call < 0) throw new CostLimitError('expression');
    if (meter.total < 0) throw new CostLimitError('policy');
    return result;
  } finally {
    meter.calls--;
    if (meter.calls === 0) meter.call = Number.POSITIVE_INFINITY;
  }
}

/** Runs every expression of one policy evaluation within RUNTIME_BUDGET. */
export function withinPolicyBudget<T>(run: () => T): T {
  if (meter.programs === 0) meter.total = RUNTIME_BUDGET;
  meter.programs++;
  try {
    return run();
  } finally {
    meter.programs--;
    if (meter.programs === 0) meter.total = Number.POSITIVE_INFINITY;
  }
}
