import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import {
  type CelAdmissionInput,
  compileCelPolicies,
  evaluateCelPolicies,
} from '../src/admission/cel/index.js';
import { corpusPath } from '../test/corpus.js';
import { time } from './timing.js';
import type { Benchmark } from './types.js';

const N = 2_000;

/** A Pod-hardening ValidatingAdmissionPolicy in the style of the Kubernetes documentation's examples. */
const POLICY = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: pod-hardening}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"]}
  variables:
  - name: containers
    expression: "object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : [])"
  validations:
  - expression: "!has(object.spec.hostNetwork) || !object.spec.hostNetwork"
    message: hostNetwork is not allowed
  - expression: "variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged)"
    message: privileged containers are not allowed
  - expression: "variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.capabilities) || !has(c.securityContext.capabilities.add) || c.securityContext.capabilities.add.all(a, a in ['NET_BIND_SERVICE']))"
    messageExpression: "'containers may only add NET_BIND_SERVICE, in namespace ' + request.namespace"
  - expression: "variables.containers.all(c, c.image.find('@sha256:[0-9a-f]{64}$') != '' || !c.image.endsWith(':latest'))"
    message: images must not use the latest tag
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: pod-hardening}
spec: {policyName: pod-hardening, validationActions: [Deny]}
`;

/**
 * One compiled ValidatingAdmissionPolicy (four validations, a variable, the regex library) evaluated against a
 * Kubewarden load-test AdmissionReview, against the floor of merely JSON.parse-ing the same request body.
 */
export const cel: Benchmark = {
  name: 'cel',
  description: `evaluate a compiled ValidatingAdmissionPolicy ${N.toLocaleString('en')}× vs JSON.parse of the same request`,
  async run() {
    const body = readFileSync(
      corpusPath(
        'admission',
        'kubewarden-load-testing',
        'direct-connection',
        'lib',
        'req_for_secure_pod_images.json',
      ),
      'utf8',
    );
    const request = (JSON.parse(body) as { request: Record<string, unknown> }).request;
    const input = {
      operation: request.operation,
      object: request.object,
      oldObject: request.oldObject ?? null,
      userInfo: request.userInfo ?? {},
      kind: request.kind,
      resource: request.resource,
      namespace: request.namespace,
      name: request.name,
      dryRun: request.dryRun === true,
    } as CelAdmissionInput;
    const set = compileCelPolicies(parseAllDocuments(POLICY).map((d) => d.toJS()));
    const violations = evaluateCelPolicies(set, input).length;
    const subject = await time('evaluateCelPolicies', () => {
      for (let i = 0; i < N; i++) evaluateCelPolicies(set, input);
    });
    const baseline = await time('JSON.parse', () => {
      for (let i = 0; i < N; i++) JSON.parse(body);
    });
    return {
      subject,
      baseline,
      notes: [
        `${((subject.ms * 1000) / N).toFixed(1)} µs per evaluation, ${((baseline.ms * 1000) / N).toFixed(1)} µs per JSON.parse of ${body.length} bytes`,
        `violations on the sample request: ${violations}`,
      ],
    };
  },
};
