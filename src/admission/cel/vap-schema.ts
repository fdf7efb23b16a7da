import { z } from 'zod';

const labelSelector = z.object({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.object({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});
export type LabelSelector = z.infer<typeof labelSelector>;

const operation = z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT', '*']);

const resourceRule = z.object({
  apiGroups: z.array(z.string()).optional(),
  apiVersions: z.array(z.string()).optional(),
  resources: z.array(z.string()).optional(),
  resourceNames: z.array(z.string()).optional(),
  operations: z.array(operation).optional(),
  scope: z.enum(['Cluster', 'Namespaced', '*']).optional(),
});
export type ResourceRule = z.infer<typeof resourceRule>;

export const matchResources = z.object({
  namespaceSelector: labelSelector.optional(),
  objectSelector: labelSelector.optional(),
  resourceRules: z.array(resourceRule).optional(),
  excludeResourceRules: z.array(resourceRule).optional(),
  matchPolicy: z.enum(['Exact', 'Equivalent']).optional(),
});
export type MatchResources = z.infer<typeof matchResources>;

const named = z.object({ name: z.string().min(1), expression: z.string().min(1) });

/** `spec` of a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1). */
export const vapSpec = z.object({
  paramKind: z.object({ apiVersion: z.string().min(1), kind: z.string().min(1) }).optional(),
  matchConstraints: matchResources.extend({ resourceRules: z.array(resourceRule).min(1) }),
  validations: z
    .array(
      z.object({
        expression: z.string().min(1),
        message: z.string().optional(),
        messageExpression: z.string().optional(),
        reason: z.enum(['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge']).optional(),
      }),
    )
    .optional(),
  failurePolicy: z.enum(['Fail', 'Ignore']).optional(),
  auditAnnotations: z
    .array(z.object({ key: z.string().min(1), valueExpression: z.string().min(1) }))
    .optional(),
  matchConditions: z.array(named).optional(),
  variables: z.array(named).optional(),
});
export type VapSpec = z.infer<typeof vapSpec>;

/** `spec` of a ValidatingAdmissionPolicyBinding. */
export const bindingSpec = z.object({
  policyName: z.string().min(1),
  paramRef: z
    .object({
      name: z.string().optional(),
      namespace: z.string().optional(),
      selector: labelSelector.optional(),
      parameterNotFoundAction: z.enum(['Allow', 'Deny']),
    })
    .optional(),
  matchResources: matchResources.optional(),
  validationActions: z
    .array(z.enum(['Deny', 'Warn', 'Audit']))
    .min(1)
    .refine((a) => new Set(a).size === a.length, 'validationActions must not repeat an action')
    .refine((a) => !(a.includes('Deny') && a.includes('Warn')), 'Deny and Warn may not be used together'),
});
export type BindingSpec = z.infer<typeof bindingSpec>;
