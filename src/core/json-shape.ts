/** What is wrong with a parsed JSON value as a whole, and where: the path as `a.b[0].c` ('' for the root). */
export interface ShapeProblem {
  path: string;
  problem: 'too-deep' | 'nul';
}

interface Pending {
  value: object;
  depth: number;
  parent: Pending | undefined;
  key: string | number;
}

/**
 * The first place where a parsed JSON value nests deeper than `maxDepth`, or holds U+0000 in a string or a key.
 * Both are refused as input: recursive walks (digests, serialisers) overflow the stack on the first, and
 * PostgreSQL text cannot store the second. Walked with a stack of its own, so the check cannot fail the way it
 * guards against; paths are built only for the one place reported.
 */
export function jsonShapeProblem(root: unknown, maxDepth: number): ShapeProblem | undefined {
  if (typeof root === 'string') return root.includes('\u0000') ? { path: '', problem: 'nul' } : undefined;
  if (root === null || typeof root !== 'object') return undefined;
  return mayHaveShapeProblem(root, maxDepth) ? locateShapeProblem(root, maxDepth) : undefined;
}

/**
 * Whether `root` may have a shape problem: a walk that allocates nothing per value (a pushed report is some
 * 20,000 values, checked on every push), so the walk that records paths runs only for a body it will refuse.
 * `for…in` also visits inherited enumerable keys, a superset of the keys checked, so it never misses a problem.
 */
function mayHaveShapeProblem(root: object, maxDepth: number): boolean {
  const values: object[] = [root];
  const depths: number[] = [1];
  while (values.length > 0) {
    const value = values.pop()!;
    const depth = depths.pop()!;
    if (depth > maxDepth) return true;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child: unknown = value[i];
        if (typeof child === 'string') {
          if (child.includes('\u0000')) return true;
        } else if (child !== null && typeof child === 'object') {
          values.push(child);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key in value) {
      if (key.includes('\u0000')) return true;
      const child: unknown = (value as Record<string, unknown>)[key];
      if (typeof child === 'string') {
        if (child.includes('\u0000')) return true;
      } else if (child !== null && typeof child === 'object') {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

function locateShapeProblem(root: object, maxDepth: number): ShapeProblem | undefined {
  const stack: Pending[] = [{ value: root, depth: 1, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const at = stack.pop()!;
    if (at.depth > maxDepth) return { path: pathOf(at), problem: 'too-deep' };
    const entries: [string | number, unknown][] = Array.isArray(at.value)
      ? at.value.map((v, i) => [i, v])
      : Object.entries(at.value);
    for (const [key, child] of entries) {
      const nul =
        (typeof key === 'string' && key.includes('\u0000')) ||
        (typeof child === 'string' && child.includes('\u0000'));
      if (nul) return { path: pathOf({ value: {}, depth: at.depth + 1, parent: at, key }), problem: 'nul' };
      if (child !== null && typeof child === 'object') {
        stack.push({ value: child, depth: at.depth + 1, parent: at, key });
      }
    }
  }
  return undefined;
}

function pathOf(at: Pending): string {
  const keys: (string | number)[] = [];
  for (let p: Pending | undefined = at; p?.parent; p = p.parent) keys.push(p.key);
  let out = '';
  for (const key of keys.reverse()) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  // keys are the sender's own text: a message quoting the path stays short
  return out.length > MAX_PATH ? `${out.slice(0, MAX_PATH)}…` : out;
}

const MAX_PATH = 120;

/** The problem as words, for an error message. */
export function describeShapeProblem(problem: ShapeProblem, maxDepth: number): string {
  return problem.problem === 'nul'
    ? 'contains a NUL character (U+0000)'
    : `nests deeper than ${maxDepth} levels`;
}
