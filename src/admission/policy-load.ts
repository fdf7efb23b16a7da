import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { UserInputError } from '../core/errors.js';
import { describeIssue } from '../core/schema-issue.js';
import { SEVERITIES } from '../core/severity.js';
import { celTemplateKind, isImplemented } from '../hardening/kubernetes/gatekeeper/constraints.js';
import {
  type Constraint,
  type KubeObject,
  type Policy as PosturePolicy,
  parseConstraint,
  parsePolicy,
} from '../hardening/kubernetes/index.js';
import { ADMISSION_DEFAULTS } from './defaults/index.js';
import {
  ACTIONS,
  type AdmissionFields,
  type AdmissionPolicy,
  buildPolicy,
  MODES,
  type PolicyOverrides,
  UNKNOWN_IMAGE_RULES,
} from './policy.js';

const vulnerabilitySchema = z
  .object({
    severity: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(SEVERITIES)),
    action: z.enum(ACTIONS).default('deny'),
    unknownImages: z.enum(UNKNOWN_IMAGE_RULES).default('audit'),
  })
  .strict();

/** `defaults:`: each key one Bulkhead-native default (defaults/index.ts) with the value it fills in. */
const defaultsSchema = z
  .object(Object.fromEntries(ADMISSION_DEFAULTS.map((d) => [d.id, d.schema.optional()])))
  .strict();

const admissionSchema = z
  .object({
    apiVersion: z.literal('bulkhead.dev/v1'),
    kind: z.literal('AdmissionPolicy'),
    controls: z.array(z.string()).optional(),
    actions: z.record(z.string(), z.enum(ACTIONS)).default({}),
    defaultAction: z.enum(ACTIONS).default('deny'),
    mode: z.enum(MODES).optional(),
    exemptNamespaces: z.array(z.string()).optional(),
    exemptUsers: z.array(z.string()).default([]),
    exemptGroups: z.array(z.string()).default([]),
    vulnerabilities: vulnerabilitySchema.optional(),
    defaults: defaultsSchema.optional(),
  })
  .passthrough();

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function firstIssue(name: string, error: z.ZodError, prefix = ''): UserInputError {
  const issue = error.issues[0]!;
  return new UserInputError(name, `${prefix}${describeIssue(issue)}`);
}

/** An `AdmissionPolicy` document: its admission fields, and the posture policy fields parsed by the posture engine. */
function admissionDocument(data: unknown, name: string): { posture: PosturePolicy; fields: AdmissionFields } {
  const parsed = admissionSchema.safeParse(data);
  if (!parsed.success) throw firstIssue(name, parsed.error);
  const {
    controls,
    actions,
    defaultAction,
    mode,
    exemptNamespaces,
    exemptUsers,
    exemptGroups,
    vulnerabilities,
    defaults,
    ...rest
  } = parsed.data;
  const posture = parsePolicy(JSON.stringify({ ...rest, kind: 'KubernetesPolicy' }), name);
  return {
    posture,
    fields: {
      ...(controls ? { controls } : {}),
      actions,
      defaultAction,
      ...(mode ? { mode } : {}),
      ...(exemptNamespaces ? { exemptNamespaces } : {}),
      exemptUsers,
      exemptGroups,
      ...(vulnerabilities ? { vulnerabilities } : {}),
      ...(defaults ? { defaults } : {}),
    },
  };
}

/**
 * Read a policy input (one or more YAML/JSON documents): at most one Bulkhead `AdmissionPolicy` (posture policy
 * fields — standard, pssVersion, parameters, exceptions, disabledControls — plus controls, actions,
 * defaultAction, mode, exemptions, vulnerabilities) or posture `KubernetesPolicy`; Gatekeeper constraints of the
 * kinds the posture engine implements; and any other Kubernetes objects (ValidatingAdmissionPolicy, bindings,
 * ConstraintTemplates, other constraints, parameter objects), kept for the CEL engine in `celDocuments`.
 * Without an AdmissionPolicy/KubernetesPolicy document, only the constraints and CEL documents apply.
 */
export function parseAdmissionPolicy(
  text: string,
  name: string,
  overrides: PolicyOverrides = {},
): AdmissionPolicy {
  if (text.includes('\u0000')) throw new UserInputError(name, 'binary content, not YAML or JSON');
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    const parsed = parseAllDocuments(text, { version: '1.2', logLevel: 'error' });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (error) {
    throw new UserInputError(name, `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  let policyDoc: { posture: PosturePolicy; fields?: AdmissionFields } | undefined;
  const constraints: Constraint[] = [];
  const native: { constraint: Constraint; data: unknown }[] = [];
  const celDocuments: unknown[] = [];
  for (const [i, doc] of docs.entries()) {
    const where = docs.length > 1 ? `document ${i + 1}: ` : '';
    if (doc.errors.length)
      throw new UserInputError(name, `${where}not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      throw new UserInputError(name, `${where}${(error as Error).message.split('\n')[0]}`);
    }
    if (data === null || data === undefined) continue;
    if (!isRecord(data) || typeof data.kind !== 'string' || typeof data.apiVersion !== 'string')
      throw new UserInputError(name, `${where}not a Kubernetes-style object (apiVersion and kind)`);
    if (data.kind === 'AdmissionPolicy' || data.kind === 'KubernetesPolicy') {
      if (policyDoc)
        throw new UserInputError(name, `${where}a second ${data.kind}: give one policy document`);
      const docName = docs.length > 1 ? `${name} (document ${i + 1})` : name;
      policyDoc =
        data.kind === 'KubernetesPolicy'
          ? { posture: parsePolicy(JSON.stringify(data), docName) }
          : admissionDocument(data, docName);
      continue;
    }
    if (data.apiVersion.startsWith('constraints.gatekeeper.sh/') && isImplemented(data.kind)) {
      const object = { ...data, metadata: isRecord(data.metadata) ? data.metadata : {} } as KubeObject;
      const constraint = parseConstraint(object, name);
      if (constraint) {
        native.push({ constraint, data });
        continue;
      }
    }
    celDocuments.push(data);
  }
  // a kind whose ConstraintTemplate in the file has a CEL body runs through that body, not the native rows
  const celKinds = new Set(
    celDocuments.flatMap((d) => {
      const kind = isRecord(d) ? celTemplateKind(d as KubeObject) : undefined;
      return kind ? [kind] : [];
    }),
  );
  for (const n of native)
    if (celKinds.has(n.constraint.kind)) celDocuments.push(n.data);
    else constraints.push(n.constraint);
  if (!policyDoc && constraints.length === 0 && celDocuments.length === 0)
    throw new UserInputError(name, 'no policy document in the file');
  return buildPolicy(
    {
      ...(policyDoc ? { posture: policyDoc.posture } : { noBundle: true }),
      ...(policyDoc?.fields ? { fields: policyDoc.fields } : {}),
      constraints,
      celDocuments,
    },
    name,
    overrides,
  );
}

/** The policy of `--policy FILE`, or the default bundle; `--mode` and `--exempt-namespace` override the file. */
export function loadAdmissionPolicy(
  file: string | undefined,
  overrides: PolicyOverrides = {},
): AdmissionPolicy {
  if (!file) return buildPolicy({}, 'default bundle', overrides);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserInputError(file, 'cannot read the policy file');
  }
  return parseAdmissionPolicy(text, file, overrides);
}
