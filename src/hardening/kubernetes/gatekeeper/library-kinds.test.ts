import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../../test/corpus.js';
import { Inventory } from '../inventory.js';
import { loadObjects } from '../objects/load.js';
import { isImplemented, parseConstraint, untranslatedParameters } from './constraints.js';
import { constraintFindings } from './evaluate.js';

interface TemplateIndex {
  templates: { kind: string; parameters?: { properties?: Record<string, unknown> } }[];
}

/** The gatekeeper-library's own index of its templates (general + pod-security-policy), held-out ones included. */
const index = JSON.parse(
  readFileSync(corpusPath('manifests', 'gatekeeper-library', 'templates.json'), 'utf8'),
) as TemplateIndex;

describe('gatekeeper-library kinds', () => {
  it('implements every kind of the library and translates every parameter its template defines', () => {
    expect(index.templates.length).toBe(49);
    expect(index.templates.filter((t) => !isImplemented(t.kind)).map((t) => t.kind)).toEqual([]);
    const untranslated = index.templates.flatMap((t) =>
      untranslatedParameters({
        kind: t.kind,
        name: 'all-parameters',
        match: {},
        parameters: Object.fromEntries(Object.keys(t.parameters?.properties ?? {}).map((k) => [k, null])),
        enforcementAction: 'deny',
      }).map((k) => `${t.kind}.${k}`),
    );
    expect(untranslated).toEqual([]);
  });
});

/** Violations of one constraint (YAML) on one object (YAML). */
function violations(constraint: string, object: string): string[] {
  const { objects } = loadObjects([
    { name: 'c.yaml', text: constraint },
    { name: 'o.yaml', text: object },
  ]);
  const c = parseConstraint(objects[0]!.object)!;
  return (constraintFindings(c, objects[1]!, new Inventory([objects[1]!])) ?? []).map((f) => f.message);
}

const constraint = (kind: string, parameters: string) =>
  `apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: ${kind}\nmetadata: {name: c}\nspec:\n  parameters: ${parameters}\n`;
const pod = (spec: string, metadata = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p${metadata}}\nspec:\n${spec}\n`;

describe('K8sAllowedReposv2', () => {
  const c = constraint(
    'K8sAllowedReposv2',
    '{allowedImages: ["openpolicyagent/opa", "registry.example.com/team/*"]}',
  );
  it('accepts exact images and `*` prefixes, in every container list', () => {
    expect(
      violations(
        c,
        pod(
          '  containers: [{name: a, image: openpolicyagent/opa}]\n  initContainers: [{name: b, image: registry.example.com/team/x:1}]',
        ),
      ),
    ).toEqual([]);
  });
  it('refuses another tag of an exact entry and images outside the list', () => {
    expect(
      violations(
        c,
        pod(
          '  containers: [{name: a, image: "openpolicyagent/opa:0.9"}]\n  ephemeralContainers: [{name: e, image: registry.example.com/other/x}]',
        ),
      ),
    ).toHaveLength(2);
  });
  it('refuses every image when the list is empty', () => {
    expect(
      violations(
        constraint('K8sAllowedReposv2', '{allowedImages: []}'),
        pod('  containers: [{name: a, image: x}]'),
      ),
    ).toHaveLength(1);
  });
});

describe('K8sPSPAppArmor', () => {
  const c = constraint('K8sPSPAppArmor', '{allowedProfiles: ["runtime/default"]}');
  it('counts a container without a profile as runtime/default', () => {
    expect(violations(c, pod('  containers: [{name: a, image: x}]'))).toEqual([]);
  });
  it('lets the container profile override the pod profile', () => {
    const override = (podType: string, containerType: string) =>
      pod(
        `  securityContext: {appArmorProfile: {type: ${podType}}}\n  containers: [{name: a, image: x, securityContext: {appArmorProfile: {type: ${containerType}}}}]`,
      );
    expect(violations(c, override('Unconfined', 'RuntimeDefault'))).toEqual([]);
    expect(violations(c, override('RuntimeDefault', 'Unconfined'))).toHaveLength(1);
  });
  it('reads the per-container annotation', () => {
    expect(
      violations(
        c,
        pod(
          '  containers: [{name: a, image: x}]',
          ', annotations: {container.apparmor.security.beta.kubernetes.io/a: unconfined}',
        ),
      ),
    ).toHaveLength(1);
  });
});

describe('K8sPSPSELinuxV2', () => {
  const c = constraint(
    'K8sPSPSELinuxV2',
    '{allowedSELinuxOptions: [{level: s0, role: object_r, type: svirt_sandbox_file_t, user: system_u}]}',
  );
  it('accepts options equal to an entry on every field they set', () => {
    expect(
      violations(
        c,
        pod(
          '  securityContext: {seLinuxOptions: {level: s0, type: svirt_sandbox_file_t}}\n  containers: [{name: a, image: x}]',
        ),
      ),
    ).toEqual([]);
  });
  it('refuses other options on the pod and on containers, and any options with an empty list', () => {
    expect(
      violations(
        c,
        pod(
          '  securityContext: {seLinuxOptions: {level: s1}}\n  containers: [{name: a, image: x, securityContext: {seLinuxOptions: {type: spc_t}}}]',
        ),
      ),
    ).toHaveLength(2);
    expect(
      violations(
        constraint('K8sPSPSELinuxV2', '{}'),
        pod('  containers: [{name: a, image: x, securityContext: {seLinuxOptions: {level: s0}}}]'),
      ),
    ).toHaveLength(1);
  });
});

describe('K8sRequiredProbes', () => {
  const c = constraint('K8sRequiredProbes', '{probes: [readinessProbe], probeTypes: [tcpSocket, httpGet]}');
  it('counts a probe only when it uses one of the probe types', () => {
    expect(
      violations(c, pod('  containers: [{name: a, image: x, readinessProbe: {tcpSocket: {port: 80}}}]')),
    ).toEqual([]);
    expect(
      violations(c, pod('  containers: [{name: a, image: x, readinessProbe: {exec: {command: [true]}}}]')),
    ).toHaveLength(1);
  });
});
