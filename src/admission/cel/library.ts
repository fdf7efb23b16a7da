import type { Environment } from '@marcbachmann/cel-js';

/** A Kubernetes CEL library: a set of functions (and types) registered on the CEL environment. */
export interface CelLibrary {
  /** Library name as Kubernetes documents it. @example 'quantity' */
  id: string;
  /** One line: what it adds. */
  description: string;
  /** The CEL signatures it registers, for the documentation. @example ['quantity(string): Quantity'] */
  functions: readonly string[];
  /** Registers the library's types, operators and namespace constants (first pass, all libraries). */
  registerTypes(env: Environment): void;
  /** Registers the library's functions (second pass: any library's types may appear in signatures). */
  registerFunctions(env: Environment): void;
}

/** Declares a library from a signature → handler table and an optional type setup. */
export function library(
  id: string,
  description: string,
  table: Readonly<Record<string, (...args: never[]) => unknown>>,
  setup?: (env: Environment) => void,
): CelLibrary {
  return {
    id,
    description,
    functions: Object.keys(table),
    registerTypes(env) {
      setup?.(env);
    },
    registerFunctions(env) {
      for (const [signature, handler] of Object.entries(table))
        env.registerFunction(signature, handler as (...args: unknown[]) => unknown);
    },
  };
}
