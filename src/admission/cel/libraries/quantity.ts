import { library } from '../library.js';
import { Quantity } from '../support/quantity-value.js';

const Q = 'kubernetes.Quantity';

/** Kubernetes quantity library: `quantity('1.5Gi').isGreaterThan(quantity('1Gi'))`. */
export const quantityLibrary = library(
  'quantity',
  'Resource quantities (`quantity`, `isQuantity`, comparison and arithmetic)',
  {
    [`quantity(string): ${Q}`]: (s: string) => Quantity.parse(s),
    'isQuantity(string): bool': (s: string) => {
      try {
        Quantity.parse(s);
        return true;
      } catch {
        return false;
      }
    },
    [`${Q}.isInteger(): bool`]: (q: Quantity) => q.isInteger(),
    [`${Q}.asInteger(): int`]: (q: Quantity) => q.asInteger(),
    [`${Q}.asApproximateFloat(): double`]: (q: Quantity) => q.asApproximateFloat(),
    [`${Q}.sign(): int`]: (q: Quantity) => q.sign(),
    [`${Q}.add(${Q}): ${Q}`]: (a: Quantity, b: Quantity) => a.add(b),
    [`${Q}.add(int): ${Q}`]: (a: Quantity, b: bigint) => a.add(Quantity.fromInt(b)),
    [`${Q}.sub(${Q}): ${Q}`]: (a: Quantity, b: Quantity) => a.sub(b),
    [`${Q}.sub(int): ${Q}`]: (a: Quantity, b: bigint) => a.sub(Quantity.fromInt(b)),
    [`${Q}.isGreaterThan(${Q}): bool`]: (a: Quantity, b: Quantity) => a.compareTo(b) > 0,
    [`${Q}.isLessThan(${Q}): bool`]: (a: Quantity, b: Quantity) => a.compareTo(b) < 0,
    [`${Q}.compareTo(${Q}): int`]: (a: Quantity, b: Quantity) => BigInt(a.compareTo(b)),
  },
  (env) => {
    env.registerType(Q, Quantity);
    env.registerOperator(`${Q} == ${Q}`, (a: Quantity, b: Quantity) => a.equals(b));
  },
);
