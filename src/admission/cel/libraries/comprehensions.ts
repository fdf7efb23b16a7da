import { EvaluationError } from '@marcbachmann/cel-js';
import { library } from '../library.js';

/** The part of cel-js's macro interface this library uses (type checker, evaluator, contexts, AST nodes). */
interface Node {
  op: string;
  args: unknown;
  setMeta(key: string, value: unknown): Node;
}
interface Context {
  forkWithVariable(name: string, type: unknown): Context;
  reuse(parent: Context): Context;
  setIterValue(value: unknown, ev: Evaluator): Context;
}
interface Checker {
  check(node: Node, ctx: Context): unknown;
  getType(name: string): unknown;
}
interface Evaluator {
  run(node: Node, ctx: Context): unknown;
}
interface Macro {
  ast: Node;
  receiver: Node;
  first: string;
  second: string;
  body: Node[];
  outer?: Context;
  inner?: Context;
}

type Step = (key: unknown, value: unknown, bodyIndex: number) => unknown;

function entriesOf(collection: unknown): [unknown, unknown][] {
  if (Array.isArray(collection)) return collection.map((x, i) => [BigInt(i), x]);
  if (collection instanceof Map) return [...collection.entries()];
  if (collection !== null && typeof collection === 'object') return Object.entries(collection);
  throw new EvaluationError('two-variable comprehensions need a list or a map');
}

function identifier(node: Node, name: string): string {
  if (node.op !== 'id' || typeof node.args !== 'string')
    throw new EvaluationError(`${name}(): iteration variables must be identifiers`);
  return node.args;
}

/**
 * A two-variable comprehension macro: `(index, value)` over a list, `(key, value)` over a map; the body
 * expressions are checked and evaluated with both variables bound.
 */
function comprehension(
  name: string,
  result: 'bool' | 'list' | 'map',
  run: (entries: [unknown, unknown][], step: Step) => unknown,
) {
  return ({ ast, args, receiver }: { ast: Node; args: Node[]; receiver: Node }) => ({
    ast,
    receiver,
    first: identifier(args[0]!, name),
    second: identifier(args[1]!, name),
    body: args.slice(2),
    typeCheck(checker: Checker, m: Macro, ctx: Context) {
      checker.check(m.receiver, ctx);
      const dyn = checker.getType('dyn');
      m.outer = ctx.forkWithVariable(m.first, dyn);
      m.inner = m.outer.forkWithVariable(m.second, dyn);
      for (const b of m.body) checker.check(b, m.inner);
      m.ast.setMeta('async', false);
      return checker.getType(result);
    },
    evaluate(ev: Evaluator, m: Macro, ctx: Context) {
      const entries = entriesOf(ev.run(m.receiver, ctx));
      const outer = m.outer!.reuse(ctx);
      const inner = m.inner!.reuse(outer);
      return run(entries, (k, v, i) => {
        outer.setIterValue(k, ev);
        inner.setIterValue(v, ev);
        return ev.run(m.body[i]!, inner);
      });
    },
  });
}

function bool(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new EvaluationError('predicate must return bool');
  return v;
}

/** all/exists are commutative over errors: a decisive result wins over an error elsewhere. */
function quantifier(decisive: boolean) {
  return (entries: [unknown, unknown][], step: Step) => {
    let error: unknown;
    for (const [k, v] of entries) {
      try {
        if (bool(step(k, v, 0)) === decisive) return decisive;
      } catch (e) {
        error ??= e;
      }
    }
    if (error) throw error;
    return !decisive;
  };
}

const existsOne = (entries: [unknown, unknown][], step: Step) =>
  entries.filter(([k, v]) => bool(step(k, v, 0))).length === 1;

function transformList(filtered: boolean) {
  return (entries: [unknown, unknown][], step: Step) =>
    entries.flatMap(([k, v]) => (filtered && !bool(step(k, v, 0)) ? [] : [step(k, v, filtered ? 1 : 0)]));
}

function transformMap(filtered: boolean) {
  return (entries: [unknown, unknown][], step: Step) => {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of entries)
      if (!filtered || bool(step(k, v, 0))) out.set(k, step(k, v, filtered ? 1 : 0));
    return out;
  };
}

function transformMapEntry(filtered: boolean) {
  return (entries: [unknown, unknown][], step: Step) => {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of entries) {
      if (filtered && !bool(step(k, v, 0))) continue;
      const entry = step(k, v, filtered ? 1 : 0);
      const pairs = entry instanceof Map ? [...entry.entries()] : Object.entries(entry as object);
      for (const [ek, ev] of pairs) {
        if (out.has(ek)) throw new EvaluationError(`transformMapEntry: duplicate key ${String(ek)}`);
        out.set(ek, ev);
      }
    }
    return out;
  };
}

/**
 * cel-go two-variable comprehensions (Kubernetes 1.33+): `all`, `exists`, `existsOne`, `transformList`,
 * `transformMap`, `transformMapEntry` with `(index, value)` over lists and `(key, value)` over maps.
 * @example [1, 2, 3].all(i, v, v > i) // true
 */
export const comprehensionsLibrary = library(
  'comprehensions',
  'Two-variable comprehensions (`all(i, v, p)`, `exists`, `existsOne`, `transformList`, `transformMap`, `transformMapEntry`)',
  {
    'dyn.all(ast, ast, ast): bool': comprehension('all', 'bool', quantifier(false)),
    'dyn.exists(ast, ast, ast): bool': comprehension('exists', 'bool', quantifier(true)),
    'dyn.existsOne(ast, ast, ast): bool': comprehension('existsOne', 'bool', existsOne),
    'dyn.exists_one(ast, ast, ast): bool': comprehension('exists_one', 'bool', existsOne),
    'dyn.transformList(ast, ast, ast): list': comprehension('transformList', 'list', transformList(false)),
    'dyn.transformList(ast, ast, ast, ast): list': comprehension(
      'transformList',
      'list',
      transformList(true),
    ),
    'dyn.transformMap(ast, ast, ast): map': comprehension('transformMap', 'map', transformMap(false)),
    'dyn.transformMap(ast, ast, ast, ast): map': comprehension('transformMap', 'map', transformMap(true)),
    'dyn.transformMapEntry(ast, ast, ast): map': comprehension(
      'transformMapEntry',
      'map',
      transformMapEntry(false),
    ),
    'dyn.transformMapEntry(ast, ast, ast, ast): map': comprehension(
      'transformMapEntry',
      'map',
      transformMapEntry(true),
    ),
  },
);
