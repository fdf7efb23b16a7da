import { library } from '../library.js';
import { celEquals } from '../support/equality.js';

/** Receiver of `sets.…` calls. */
class SetsNamespace {}

const has = (list: unknown[], v: unknown) => list.some((x) => celEquals(x, v));

/** cel-go sets extension: `sets.contains([1, 2, 3], [2])`, `sets.equivalent`, `sets.intersects`. */
export const setsLibrary = library(
  'sets',
  'Set relations on lists (`sets.contains`, `sets.equivalent`, `sets.intersects`)',
  {
    'SetsNamespace.contains(list, list): bool': (_: SetsNamespace, a: unknown[], b: unknown[]) =>
      b.every((x) => has(a, x)),
    'SetsNamespace.equivalent(list, list): bool': (_: SetsNamespace, a: unknown[], b: unknown[]) =>
      b.every((x) => has(a, x)) && a.every((x) => has(b, x)),
    'SetsNamespace.intersects(list, list): bool': (_: SetsNamespace, a: unknown[], b: unknown[]) =>
      b.some((x) => has(a, x)),
  },
  (env) => {
    env.registerType('SetsNamespace', SetsNamespace);
    env.registerConstant('sets', 'SetsNamespace', new SetsNamespace());
  },
);
