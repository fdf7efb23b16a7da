import { isObject } from './values.js';

/** Strings of a tree holding `{{ }}`: their expressions must parse at load. */
export function* expressionsIn(v: unknown): Generator<string> {
  if (typeof v === 'string') {
    for (const m of v.matchAll(/\{\{((?:\{[^{}]*\}|[^{}])*)\}\}/g)) yield m[1]!.trim();
  } else if (Array.isArray(v)) for (const x of v) yield* expressionsIn(x);
  else if (isObject(v)) for (const x of Object.values(v)) yield* expressionsIn(x);
}

/** The `operator` of every condition in a tree. */
export function* operatorsIn(v: unknown): Generator<string> {
  if (Array.isArray(v)) for (const x of v) yield* operatorsIn(x);
  else if (isObject(v)) {
    if (typeof v.operator === 'string' && 'key' in v) yield v.operator;
    for (const x of Object.values(v)) yield* operatorsIn(x);
  }
}
