import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { UserInputError } from '../../../core/errors.js';
import { describeIssue } from '../../../core/schema-issue.js';
import type { Control } from '../controls/types.js';
import { compileCustomChecks, customChecksFields } from '../custom-checks/index.js';
import { type KubeException, kubeExceptionSchema } from '../exceptions.js';
import { type Parameters, parametersSchema } from './schema.js';

/**
 * Bulkhead's own Kubernetes policy file: parameters, exceptions, disabled controls and custom checks (strict
 * schema).
 */
export const policyFileSchema = z
  .object({
    apiVersion: z.literal('bulkhead.dev/v1'),
    kind: z.literal('KubernetesPolicy'),
    standard: z
      .enum(['pss-baseline', 'pss-restricted', 'cis', 'nsa', 'best-practices', 'security', 'all'])
      .optional(),
    pssVersion: z.string().optional(),
    parameters: parametersSchema.default(parametersSchema.parse({})),
    exceptions: z.array(kubeExceptionSchema).default([]),
    disabledControls: z.array(z.string()).default([]),
    ...customChecksFields,
  })
  .strict();

export interface Policy {
  standard?: z.infer<typeof policyFileSchema>['standard'];
  pssVersion?: string;
  parameters: Parameters;
  exceptions: KubeException[];
  disabledControls: string[];
  /** The file's custom checks (`customChecks`, `celChecks`), compiled: they run beside the catalogue. */
  customControls?: Control[];
}

/** Parse a policy document; a bad one is a UserInputError naming the file and the first problem. */
export function parsePolicy(text: string, name: string): Policy {
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new UserInputError(name, `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = policyFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserInputError(name, describeIssue(issue));
  }
  const p = parsed.data;
  const customControls = compileCustomChecks(p.customChecks, p.celChecks, name);
  return {
    ...(p.standard ? { standard: p.standard } : {}),
    ...(p.pssVersion ? { pssVersion: p.pssVersion } : {}),
    parameters: p.parameters,
    exceptions: p.exceptions as KubeException[],
    disabledControls: p.disabledControls,
    ...(customControls.length ? { customControls } : {}),
  };
}

export function readPolicyFile(file: string): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserInputError(file, 'cannot read the policy file');
  }
  return parsePolicy(text, file);
}
