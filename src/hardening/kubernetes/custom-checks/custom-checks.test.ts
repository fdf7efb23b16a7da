import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { corpusPath } from '../../../../test/corpus.js';
import { UserInputError } from '../../../core/errors.js';
import { evaluate } from '../evaluate.js';
import { loadObjects } from '../objects/load.js';
import { parsePolicy } from '../parameters/policy-file.js';

const POLARIS = corpusPath('manifests', 'polaris', 'test', 'checks');

/** A policy file holding `body` (YAML, already indented under the top level). */
const policyOf = (body: string) =>
  parsePolicy(`apiVersion: bulkhead.dev/v1\nkind: KubernetesPolicy\n${body}`, 'policy.yaml');

const objects = (text: string) => loadObjects([{ name: 'in.yaml', text }]).objects;

/** The custom checks' failing results (by control id) on a manifest text. */
function failures(body: string, manifest: string) {
  const policy = policyOf(body);
  return evaluate(objects(manifest), {
    controls: policy.customControls!.map((c) => c.id),
    customControls: policy.customControls!,
  }).filter((r) => r.status === 'fail');
}

/** The fields of every failure (a result holds one per offending container). */
const fields = (body: string, manifest: string) =>
  failures(body, manifest).flatMap(
    (r) =>
      (r.evidence as { findings?: { field?: string }[] } | undefined)?.findings?.map((f) => f.field) ?? [
        r.field,
      ],
  );

/** A Polaris check file of the peer's own tests, as a `customChecks.<id>` entry. */
const polarisEntry = (check: string) =>
  `customChecks:\n  ${check}:\n${readFileSync(join(POLARIS, check, 'check.yaml'), 'utf8')
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}`;

const pod = (containers: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
${extra}  containers:
${containers}`;

describe('Polaris custom checks', () => {
  it("bounds container resources with Polaris' resourceMinimum/resourceMaximum (peer's resourceRange check)", () => {
    const body = polarisEntry('resourceRange');
    const text = (f: string) => readFileSync(join(POLARIS, 'resourceRange', f), 'utf8');
    const cpu = failures(body, text('failure.cpu-number.yaml'));
    expect(cpu.map((r) => [r.control, r.field])).toEqual([['resourceRange', 'spec.containers[0]']]);
    expect(cpu[0]!.message).toMatch(
      /^container "nginx": Resource limits should be within the required range \(/,
    );
    expect(cpu[0]!.title).toBe('Resource limits are within the required range');
    expect(failures(body, text('failure.mem-number.yaml'))).toHaveLength(1);
    expect(failures(body, text('success.mem-number.yaml'))).toEqual([]);
  });

  it('fills {{ .metadata.name }} templates per object (target Pod: every Pod object)', () => {
    const body = polarisEntry('nakedPod');
    const text = (f: string) => readFileSync(join(POLARIS, 'nakedPod', f), 'utf8');
    expect(failures(body, text('failure.yaml')).map((r) => r.control)).toEqual(['nakedPod']);
    expect(failures(body, text('success.yaml'))).toEqual([]);
  });

  const limits = `successMessage: Limits set
    failureMessage: Set memory limits
    severity: danger
    target: Container
    schema:
      type: object
      required: [resources]
      properties:
        resources: {type: object, required: [limits]}`;
  const twoKinds = pod(
    `  - {name: app, image: nginx}\n`,
    `  initContainers:\n  - {name: init, image: busybox, resources: {limits: {memory: 1Gi}}}\n`,
  );

  it('keeps no compiled schema behind: templated schemas with an $id recompile per object, two checks share it', () => {
    const check = (id: string) => `  ${id}:
    failureMessage: The name label matches the name
    target: Pod
    schema:
      $id: https://example.com/name-label
      properties: {metadata: {properties: {labels: {properties: {name: {const: '{{ .metadata.name }}'}}}}}}`;
    const named = (name: string, label: string) =>
      pod('  - {name: a, image: nginx}\n').replace('name: web,', `name: ${name}, labels: {name: ${label}},`);
    const body = `customChecks:\n${check('a')}\n${check('b')}`;
    for (const [name, label, fails] of [
      ['web', 'web', 0],
      ['api', 'api', 0],
      ['db', 'web', 2],
    ] as const)
      expect(failures(body, named(name, label))).toHaveLength(fails);
  });

  it('judges containers and init containers, and honours containers include/exclude', () => {
    const all = failures(`customChecks:\n  limits:\n    ${limits}`, twoKinds);
    expect(all.map((r) => [r.field, r.severity])).toEqual([['spec.containers[0]', 'HIGH']]);
    const noInit = pod(
      `  - {name: app, image: nginx}\n`,
      `  initContainers:\n  - {name: init, image: busybox}\n`,
    );
    expect(fields(`customChecks:\n  limits:\n    ${limits}`, noInit)).toEqual([
      'spec.initContainers[0]',
      'spec.containers[0]',
    ]);
    const exclude = `customChecks:\n  limits:\n    ${limits}\n    containers: {exclude: [initContainer]}`;
    expect(fields(exclude, noInit)).toEqual(['spec.containers[0]']);
    const include = `customChecks:\n  limits:\n    ${limits}\n    containers: {include: [initContainer]}`;
    expect(fields(include, noInit)).toEqual(['spec.initContainers[0]']);
  });

  it('validates the pod spec holding one container at a time under schemaTarget: PodSpec', () => {
    const body = `customChecks:
  nonRoot:
    failureMessage: Should not run as root
    target: Container
    schemaTarget: PodSpec
    schema:
      anyOf:
      - required: [securityContext]
        properties:
          securityContext: {required: [runAsNonRoot], properties: {runAsNonRoot: {const: true}}}
          containers: {items: {properties: {securityContext: {properties: {runAsNonRoot: {const: true}}}}}}
      - properties:
          containers:
            items:
              required: [securityContext]
              properties: {securityContext: {required: [runAsNonRoot], properties: {runAsNonRoot: {const: true}}}}`;
    const manifest = pod(
      `  - {name: a, image: nginx}\n  - {name: b, image: nginx, securityContext: {runAsNonRoot: false}}\n`,
      '  securityContext: {runAsNonRoot: true}\n',
    );
    expect(fields(body, manifest)).toEqual(['spec.containers[1]']);
    expect(failures(body, pod(`  - {name: a, image: nginx}\n`))).toHaveLength(1);
  });

  it('targets a PodSpec, a controller kind list, and any group/kind', () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: nginx}]
`;
    const podSpec = `customChecks:
  hostNet:
    failureMessage: Set hostNetwork false explicitly
    target: PodSpec
    controllers: {include: [Deployments]}
    schema: {required: [hostNetwork]}`;
    expect(failures(podSpec, deployment).map((r) => r.field)).toEqual(['spec.template.spec']);
    expect(failures(podSpec, pod('  - {name: a, image: nginx}\n'))).toEqual([]);
    const replicas = `customChecks:
  replicas:
    failureMessage: Run two replicas
    target: Controller
    controllers: {exclude: [Pod]}
    schema: {properties: {spec: {properties: {replicas: {minimum: 2}}}}}`;
    expect(failures(replicas, deployment)).toHaveLength(1);
    const ingress = `customChecks:
  ingressClass:
    failureMessage: Name an ingress class
    target: networking.k8s.io/Ingress
    schemaString: '{"required": ["spec"], "properties": {"spec": {"required": ["ingressClassName"]}}}'`;
    const ing = (cls: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec: {${cls}rules: []}\n`;
    expect(failures(ingress, ing('')).map((r) => r.control)).toEqual(['ingressClass']);
    expect(failures(ingress, ing('ingressClassName: nginx, '))).toEqual([]);
    expect(failures(ingress, deployment)).toEqual([]);
  });

  it('reads schemaString as YAML filled per object, .Polaris.PodSpec included, and an empty required', () => {
    const body = `customChecks:
  sameSa:
    failureMessage: The pod runs as its own service account
    target: PodTemplate
    schemaString: |
      required:
      properties:
        spec:
          properties:
            serviceAccountName: {const: "{{ .metadata.name }}-{{ .Polaris.PodSpec.nodeName }}"}`;
    const manifest = (sa: string) =>
      pod('  - {name: a, image: nginx}\n', `  nodeName: n1\n  serviceAccountName: ${sa}\n`);
    expect(failures(body, manifest('web-n1'))).toEqual([]);
    expect(fields(body, manifest('default'))).toEqual([undefined]);
    expect(() => policyOf(body.replace('.Polaris.PodSpec', '.Polaris.Config'))).toThrow(
      'template {{ .Polaris.Config.nodeName }} is not supported',
    );
  });

  it('matches patterns as RE2, with the (?i) flags Polaris schemas write', () => {
    const body = `customChecks:
  registry:
    failureMessage: Pull from the internal registry
    target: Container
    schema: {properties: {image: {pattern: '^(?i)REGISTRY\\.LOCAL/'}}}`;
    expect(failures(body, pod('  - {name: a, image: registry.local/app:1}\n'))).toEqual([]);
    expect(failures(body, pod('  - {name: a, image: docker.io/app:1}\n'))).toHaveLength(1);
  });
});

describe("Polaris' own check definitions loaded as custom checks", () => {
  it('agree with the peer test cases of every definition they load', () => {
    const definitions = corpusPath('manifests', 'polaris', 'pkg', 'config', 'checks');
    let agreed = 0;
    const disagreed: string[] = [];
    const refused: string[] = [];
    for (const file of readdirSync(definitions)) {
      const id = file.replace(/\.yaml$/, '');
      const cases = join(POLARIS, id);
      if (!existsSync(cases)) continue;
      // what Bulkhead does not read from a definition: Polaris' fixes, and the schemas of other objects
      const { mutations: _m, ...definition } = parse(readFileSync(join(definitions, file), 'utf8'));
      if (definition.additionalSchemas || definition.additionalSchemaStrings) continue;
      const body = `customChecks:\n  ${id}: ${JSON.stringify(definition)}\n`;
      let policy: ReturnType<typeof policyOf>;
      try {
        policy = policyOf(body);
      } catch (error) {
        refused.push((error as Error).message);
        continue;
      }
      for (const name of readdirSync(cases).filter((n) => /^(success|failure)/.test(n))) {
        const results = evaluate(objects(readFileSync(join(cases, name), 'utf8')), {
          controls: [id],
          customControls: policy.customControls!,
        });
        if (results.some((r) => r.status === 'fail') === name.startsWith('failure')) agreed++;
        else disagreed.push(`${id}/${name}`);
      }
    }
    // every refusal is one line naming the check: templates with logic, or a key Polaris reads case-blind
    expect(refused.filter((m) => !/^policy\.yaml: customChecks\.\w+(\.\w+)?: [^\n]+$/.test(m))).toEqual([]);
    expect(agreed).toBeGreaterThanOrEqual(90);
    expect(disagreed.length / (agreed + disagreed.length), disagreed.join(', ')).toBeLessThanOrEqual(0.02);
  });
});

describe('CEL custom checks', () => {
  const body = `celChecks:
- id: team-label
  title: Workloads carry a team label
  severity: LOW
  kinds: [apps/Deployment, Pod]
  cel: "has(object.metadata.labels) && 'team' in object.metadata.labels"
  message: the team label is missing
  remediation: Add metadata.labels.team`;

  it('passes and fails on the kinds listed, with id, severity, message and remediation', () => {
    const failed = failures(body, pod('  - {name: a, image: nginx}\n'));
    expect(failed.map((r) => [r.control, r.severity, r.message, r.remediation])).toEqual([
      ['team-label', 'LOW', 'the team label is missing', 'Add metadata.labels.team'],
    ]);
    const labelled = pod('  - {name: a, image: nginx}\n').replace(
      'namespace: shop}',
      'namespace: shop, labels: {team: a}}',
    );
    expect(failures(body, labelled)).toEqual([]);
    const policy = policyOf(body);
    const cm = objects('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
    const run = evaluate(cm, { customControls: policy.customControls! });
    expect(run.filter((r) => r.control === 'team-label')).toEqual([]);
  });

  it('fails an object the expression cannot be evaluated on', () => {
    const strict = body.replace(/cel: .*/, 'cel: "object.metadata.labels.team == \'a\'"');
    expect(failures(strict, pod('  - {name: a, image: nginx}\n'))[0]!.message).toMatch(
      /^the team label is missing \(evaluation error: /,
    );
  });
});

describe('custom check loading', () => {
  const refused = (body: string) => {
    try {
      policyOf(body);
    } catch (error) {
      expect(error).toBeInstanceOf(UserInputError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('names the file and the unknown key, in either shape', () => {
    expect(
      refused(
        'customChecks:\n  x:\n    failureMessage: f\n    target: Pod\n    schema: {}\n    mutations: []\n',
      ),
    ).toBe('policy.yaml: customChecks.x: unknown field "mutations"');
    expect(
      refused('celChecks:\n- {id: a, title: t, severity: LOW, cel: "true", message: m, match: {}}\n'),
    ).toBe('policy.yaml: celChecks[0]: unknown field "match"');
  });

  it('refuses templates beyond field paths, bad schemas, bad CEL and clashing ids, in one line', () => {
    expect(
      refused(
        "customChecks:\n  x:\n    failureMessage: f\n    target: Pod\n    schema: {const: '{{ .metadata.name | lower }}'}\n",
      ),
    ).toBe(
      'policy.yaml: customChecks.x: template {{ .metadata.name | lower }} is not supported: only {{ .field.path }} of the object (or of .Polaris.PodSpec, .Polaris.PodTemplate) is filled in',
    );
    expect(
      refused('customChecks:\n  x:\n    failureMessage: f\n    target: Pod\n    schema: {type: 12}\n'),
    ).toMatch(/^policy\.yaml: customChecks\.x: schema: /);
    expect(refused('customChecks:\n  x:\n    failureMessage: f\n    target: Pod\n')).toBe(
      'policy.yaml: customChecks.x: give one of schema and schemaString',
    );
    expect(
      refused('celChecks:\n- {id: a, title: t, severity: LOW, cel: "object.x +", message: m}\n'),
    ).toMatch(/^policy\.yaml: celChecks\[0\]: cel "object\.x \+": /);
    expect(refused('celChecks:\n- {id: a, title: t, severity: LOW, cel: "1", message: m}\n')).toMatch(
      /must evaluate to bool/,
    );
    expect(
      refused('celChecks:\n- {id: K8S-POD-01, title: t, severity: LOW, cel: "true", message: m}\n'),
    ).toBe('policy.yaml: celChecks[0]: id K8S-POD-01 is a catalogue control');
    expect(refused('celChecks:\n- {id: a, title: t, severity: grave, cel: "true", message: m}\n')).toMatch(
      /^policy\.yaml: celChecks\[0\]\.severity: must be one of danger, warning, CRITICAL/,
    );
  });
});

describe('the documented example (docs/kubernetes.md, Custom checks)', () => {
  it('loads, and judges a workload as the text says', () => {
    const doc = readFileSync(new URL('../../../../docs/kubernetes.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### Custom checks'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const policy = parsePolicy(example, 'kubernetes.md');
    expect(policy.customControls!.map((c) => [c.id, c.severity])).toEqual([
      ['internalRegistry', 'HIGH'],
      ['instanceLabel', 'MEDIUM'],
      ['team-label', 'LOW'],
    ]);
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app.kubernetes.io/instance: web, team: a}}
spec:
  template:
    spec:
      initContainers: [{name: init, image: busybox}]
      containers: [{name: app, image: docker.io/app:1}]
`;
    const results = evaluate(objects(deployment), {
      controls: policy.customControls!.map((c) => c.id),
      customControls: policy.customControls!,
    });
    expect(results.map((r) => [r.control, r.status, r.field])).toEqual([
      ['internalRegistry', 'fail', 'spec.template.spec.containers[0]'],
      ['instanceLabel', 'pass', undefined],
      ['team-label', 'pass', undefined],
    ]);
  });
});
