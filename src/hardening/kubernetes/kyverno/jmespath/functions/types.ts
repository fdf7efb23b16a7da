import type { InputSignature, JSONValue } from '@jmespath-community/jmespath';

/**
 * One of Kyverno's JMESPath extensions, registered with the JMESPath library under `name`. `replaces` marks a
 * JMESPath built-in whose meaning Kyverno changes (the Kyverno form wins, as in Kyverno).
 */
export interface KyvernoFunction {
  readonly name: string;
  readonly signature: InputSignature[];
  readonly replaces?: true;
  readonly call: (args: JSONValue[]) => JSONValue;
}

/** A JMESPath function error: the library reports it as the expression's error. */
export function fail(name: string, message: string): never {
  throw new Error(`${name}(): ${message}`);
}
