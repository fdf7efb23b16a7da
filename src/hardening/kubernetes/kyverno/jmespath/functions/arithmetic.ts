import { TYPE_NUMBER } from '@jmespath-community/jmespath';
import { fail, type KyvernoFunction } from './types.js';

const N = { types: [TYPE_NUMBER] };

/** Kyverno's arithmetic extensions over numbers. */
export const ARITHMETIC_FUNCTIONS: readonly KyvernoFunction[] = [
  { name: 'add', signature: [N, N], call: ([a, b]) => (a as number) + (b as number) },
  { name: 'subtract', signature: [N, N], call: ([a, b]) => (a as number) - (b as number) },
  { name: 'multiply', signature: [N, N], call: ([a, b]) => (a as number) * (b as number) },
  {
    name: 'divide',
    signature: [N, N],
    call: ([a, b]) =>
      (b as number) === 0 ? fail('divide', 'division by zero') : (a as number) / (b as number),
  },
  {
    name: 'modulo',
    signature: [N, N],
    call: ([a, b]) =>
      (b as number) === 0 ? fail('modulo', 'division by zero') : (a as number) % (b as number),
  },
  {
    name: 'round',
    signature: [N, N],
    call: ([a, digits]) => {
      const f = 10 ** (digits as number);
      return Math.round((a as number) * f) / f;
    },
  },
];
