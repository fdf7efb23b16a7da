import { ARITHMETIC_FUNCTIONS } from './arithmetic.js';
import { OBJECT_FUNCTIONS } from './objects.js';
import { REGEX_FUNCTIONS } from './regex.js';
import { STRING_FUNCTIONS } from './strings.js';
import { TIME_FUNCTIONS } from './time.js';
import type { KyvernoFunction } from './types.js';

/** Every Kyverno JMESPath extension Bulkhead registers, by family. */
export const KYVERNO_FUNCTIONS: readonly KyvernoFunction[] = [
  ...STRING_FUNCTIONS,
  ...REGEX_FUNCTIONS,
  ...OBJECT_FUNCTIONS,
  ...ARITHMETIC_FUNCTIONS,
  ...TIME_FUNCTIONS,
];
