import { UserInputError } from '../../../core/errors.js';
import { parseSeverity } from '../../../core/severity.js';
import { type EvaluatedResult, resourceOf } from '../evaluate.js';
import { readInputs } from '../objects/files.js';
import { loadObjects } from '../objects/load.js';
import type { LoadedObject } from '../objects/types.js';
import { evaluateKyvernoPolicy, type KyvernoEvalOptions } from './engine.js';
import { isPolicyException, type PolicyException, parsePolicyException } from './exceptions.js';
import { isKyvernoPolicy, type KyvernoPolicy, parseKyvernoPolicy } from './policy.js';

/** Kyverno policies (and PolicyExceptions) read from files or directories, and the rules not evaluated (named). */
export interface KyvernoPolicySet {
  policies: KyvernoPolicy[];
  /** PolicyExceptions read beside the policies. */
  exceptions: PolicyException[];
  /** `ClusterPolicy/name rule r: feature (code)`. */
  unsupported: { kind: string; name: string; file?: string }[];
}

/**
 * Read the ClusterPolicies and Policies (kyverno.io) under the paths. Other documents are ignored; a path without
 * any Kyverno policy is a UserInputError, as is a document that does not parse.
 */
export function readKyvernoPolicies(paths: readonly string[]): KyvernoPolicySet {
  const inputs = readInputs(paths);
  const { objects, errors } = loadObjects(inputs);
  if (errors.length > 0) throw new UserInputError(errors[0]!.file, errors[0]!.reason);
  const policies = objects
    .filter((o) => isKyvernoPolicy(o.object))
    .map((o) => parseKyvernoPolicy(o.object, o.source.file));
  if (policies.length === 0)
    throw new UserInputError(paths.join(' '), 'no Kyverno ClusterPolicy or Policy (kyverno.io/v1)');
  const exceptions = objects
    .filter((o) => isPolicyException(o.object))
    .map((o) => parsePolicyException(o.object));
  const unsupported = policies.flatMap((p) =>
    p.rules.flatMap((r) =>
      r.unsupported
        ? [
            {
              kind: p.kind,
              name: `${p.name}/${r.name}: ${r.unsupported.feature} (${r.unsupported.code})`,
              ...(p.file ? { file: p.file } : {}),
            },
          ]
        : [],
    ),
  );
  return { policies, exceptions, unsupported };
}

/**
 * Kyverno rule results as posture results: one row per rule and object it matched, the control named
 * `<policy>/<rule as applied>`; skipped rules give no row, unsupported rules none either (they are listed at
 * load). A rule that cannot be evaluated on an object (a variable that does not resolve) is an `error` row, never a pass.
 */
export function kyvernoResults(
  objects: readonly LoadedObject[],
  policies: readonly KyvernoPolicy[],
  options: KyvernoEvalOptions = {},
): EvaluatedResult[] {
  const out: EvaluatedResult[] = [];
  for (const policy of policies) {
    const severity = parseSeverity(policy.annotations['policies.kyverno.io/severity']);
    const title = policy.annotations['policies.kyverno.io/title'] ?? policy.name;
    const category = policy.annotations['policies.kyverno.io/category'];
    for (const item of objects)
      for (const r of evaluateKyvernoPolicy(policy, item, options)) {
        if (r.status === 'skip' || r.status === 'unsupported') continue;
        out.push({
          control: `${r.policy}/${r.appliedAs}`,
          title: `${title} (Kyverno ${policy.kind} ${policy.name})`,
          severity,
          standards: category ? [`kyverno:${category}`] : [],
          resource: resourceOf(item.object),
          status: r.status,
          message: r.status === 'error' ? `rule error: ${r.message}` : r.message,
          evidence: { kyverno: { policy: policy.name, rule: r.rule, failureAction: r.failureAction } },
          remediation: '',
          source: item.source,
        });
      }
  }
  return out;
}
