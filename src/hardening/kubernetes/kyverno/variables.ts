import { search } from './jmespath/search.js';

/** `{{ expr }}`; an expression may hold one level of braces (a multi-select hash). */
const VARIABLE = /\\?\{\{((?:\{[^{}]*\}|[^{}])*)\}\}/g;
const WHOLE = /^\{\{((?:\{[^{}]*\}|[^{}])*)\}\}$/;

export class VariableError extends Error {
  override readonly name = 'VariableError';
}

function resolve(expression: string, context: unknown): unknown {
  try {
    return search(context, expression.trim());
  } catch (error) {
    throw new VariableError(`{{${expression}}}: ${(error as Error).message}`);
  }
}

function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Substitute Kyverno variables in a string: a string that is one `{{ }}` becomes the expression's value (any
 * type); otherwise each `{{ }}` is replaced by its text. `\{{` escapes.
 * @example substitute('{{ request.object.kind }}', {request: {object: {kind: 'Pod'}}}) // 'Pod'
 */
export function substitute(text: string, context: unknown): unknown {
  if (!text.includes('{{')) return text;
  const whole = WHOLE.exec(text.trim());
  if (whole) return resolve(whole[1]!, context);
  return text.replace(VARIABLE, (match, expr: string) =>
    match.startsWith('\\') ? match.slice(1) : asText(resolve(expr, context)),
  );
}

/** Substitute variables in every string of a tree (keys stay as written). */
export function substituteAll(value: unknown, context: unknown): unknown {
  if (typeof value === 'string') return substitute(value, context);
  if (Array.isArray(value)) return value.map((v) => substituteAll(v, context));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteAll(v, context);
    return out;
  }
  return value;
}

export function hasVariables(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(hasVariables);
  if (value && typeof value === 'object') return Object.values(value).some(hasVariables);
  return false;
}
