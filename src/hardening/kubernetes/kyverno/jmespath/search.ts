import {
  compile,
  isRegistered,
  type JSONValue,
  register,
  TreeInterpreter,
} from '@jmespath-community/jmespath';
import { KYVERNO_FUNCTIONS } from './functions/index.js';

type ExpressionNode = ReturnType<typeof compile>;

for (const f of KYVERNO_FUNCTIONS) {
  const registered = register(f.name, (args) => f.call(args as JSONValue[]), f.signature, {
    override: f.replaces === true,
  });
  if (!registered.success) throw new Error(`JMESPath function ${f.name}(): ${registered.message}`);
}

const compiled = new Map<string, ExpressionNode>();
const CACHE_LIMIT = 4096;

function compileCached(expression: string): ExpressionNode {
  let node = compiled.get(expression);
  if (!node) {
    node = compile(expression);
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(expression, node);
  }
  return node;
}

/**
 * Search `data` with a JMESPath expression (the JMESPath Community dialect Kyverno evaluates, with Kyverno's
 * functions); undefined results are null. Throws on a malformed expression or a function's error.
 * @example search({a: [{b: 1}, {b: 2}]}, 'a[].b') // [1, 2]
 */
export function search(data: unknown, expression: string): unknown {
  return TreeInterpreter.search(compileCached(expression), data as JSONValue) ?? null;
}

/**
 * Why an expression cannot be evaluated, found without evaluating it: a syntax error or a function neither
 * JMESPath nor Kyverno's set (as registered here) defines. Undefined when it can.
 */
export function expressionProblem(expression: string): string | undefined {
  let node: ExpressionNode;
  try {
    node = compileCached(expression);
  } catch (error) {
    return (error as Error).message;
  }
  const unknown = functionNames(node).find((name) => !isRegistered(name));
  return unknown === undefined ? undefined : `unknown function ${unknown}()`;
}

function functionNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(functionNames);
  if (typeof node !== 'object' || node === null) return [];
  const n = node as Record<string, unknown>;
  const own = n.type === 'Function' && typeof n.name === 'string' ? [n.name] : [];
  return [
    ...own,
    ...Object.entries(n)
      .filter(([k]) => k !== 'value')
      .flatMap(([, v]) => functionNames(v)),
  ];
}
