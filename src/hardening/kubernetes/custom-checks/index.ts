import { z } from 'zod';
import { UserInputError } from '../../../core/errors.js';
import { CONTROLS } from '../controls/index.js';
import type { Control } from '../controls/types.js';
import { type CelCheckSource, celCheckSchema, celControl } from './cel-check.js';
import { type PolarisCheckSource, polarisCheckSchema, polarisControl } from './polaris-check.js';
import { CustomCheckError } from './shared.js';

export { type CelCheckSource, celCheckSchema, celControl } from './cel-check.js';
export { type PolarisCheckSource, polarisCheckSchema, polarisControl } from './polaris-check.js';
export { CustomCheckError } from './shared.js';

/** The policy file's custom-check fields: Polaris checks by id, and Bulkhead CEL checks. */
export const customChecksFields = {
  customChecks: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/), polarisCheckSchema).default({}),
  celChecks: z.array(celCheckSchema).default([]),
};

/**
 * Compile a policy file's custom checks into controls, evaluated beside the catalogue. An id that repeats or
 * names a catalogue row, a schema or expression that does not compile: a UserInputError naming the file and the
 * check.
 */
export function compileCustomChecks(
  polaris: Readonly<Record<string, PolarisCheckSource>>,
  cel: readonly CelCheckSource[],
  file: string,
): Control[] {
  const catalogue = new Set(CONTROLS.map((c) => c.id));
  const out: Control[] = [];
  const build = (where: string, id: string, make: () => Control) => {
    if (catalogue.has(id)) throw new UserInputError(file, `${where}: id ${id} is a catalogue control`);
    if (out.some((c) => c.id === id)) throw new UserInputError(file, `${where}: id ${id} is used twice`);
    try {
      out.push(make());
    } catch (error) {
      if (error instanceof CustomCheckError) throw new UserInputError(file, `${where}: ${error.message}`);
      throw error;
    }
  };
  for (const [id, source] of Object.entries(polaris))
    build(`customChecks.${id}`, id, () => polarisControl(id, source));
  for (const [i, source] of cel.entries()) build(`celChecks[${i}]`, source.id, () => celControl(source));
  return out;
}
