import { EvaluationError } from '@marcbachmann/cel-js';
import { RegexSyntaxError, type UserRegex, userRegex } from '../../../regex/re2.js';

/**
 * A CEL pattern (RE2, as Kubernetes specifies) compiled by the linear-time RE2 engine: a pattern that reaches
 * evaluation (one built from data rather than written as a literal) and that RE2 refuses is an evaluation error.
 * @example re2('(?i)^abc$').test('ABC') // true
 */
export function re2(pattern: string): UserRegex {
  try {
    return userRegex(pattern);
  } catch (error) {
    if (error instanceof RegexSyntaxError) throw new EvaluationError(error.message);
    throw error;
  }
}
