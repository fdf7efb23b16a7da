import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate.js';
import { loadObjects } from '../objects/load.js';

function run(text: string, control: string) {
  const { objects, errors } = loadObjects([{ name: 'in.yaml', text }]);
  expect(errors).toEqual([]);
  return evaluate(objects, { controls: [control] });
}

const deployment = (spread: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx:1.27}]
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule${spread}}
`;

describe('K8S-REL-08 topology spread', () => {
  it('treats a constraint without labelSelector as absent', () => {
    const [r] = run(deployment(''), 'K8S-REL-08');
    expect(r!.status).toBe('fail');
    expect(r!.message).toContain('spread constraint without labelSelector selects no pods');
    expect(r!.message).toContain('no topologySpreadConstraints with a labelSelector');
  });

  it('passes with a labelSelector', () => {
    const [r] = run(deployment(', labelSelector: {matchLabels: {app: web}}'), 'K8S-REL-08');
    expect(r!.status).toBe('pass');
  });
});

const job = (kind: 'Job' | 'CronJob', selector: string) => {
  const jobSpec = `selector: {matchLabels: {${selector}}}
  manualSelector: true
  template:
    metadata: {labels: {app: batch}}
    spec: {restartPolicy: Never, containers: [{name: c, image: busybox:1.36}]}`;
  return kind === 'Job'
    ? `apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  ${jobSpec}\n`
    : `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: j}\nspec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n${jobSpec
        .split('\n')
        .map((l) => `    ${l.startsWith('  ') ? l : `  ${l}`}`)
        .join('\n')}\n`;
};

describe('K8S-REL-12 selectors of Jobs and CronJobs', () => {
  it('fails a Job or CronJob whose selector does not match its template', () => {
    expect(run(job('Job', 'app: other'), 'K8S-REL-12')[0]).toMatchObject({
      status: 'fail',
      field: 'spec.selector',
    });
    expect(run(job('CronJob', 'app: other'), 'K8S-REL-12')[0]).toMatchObject({
      status: 'fail',
      field: 'spec.jobTemplate.spec.selector',
    });
  });

  it('passes a matching selector, and a Job without one (the API server generates it)', () => {
    expect(run(job('Job', 'app: batch'), 'K8S-REL-12')[0]!.status).toBe('pass');
    expect(run(job('CronJob', 'app: batch'), 'K8S-REL-12')[0]!.status).toBe('pass');
    const bare =
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {template: {spec: {containers: []}}}\n';
    expect(run(bare, 'K8S-REL-12')[0]!.status).toBe('pass');
  });
});

const hpa = (apiVersion: string, kind: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: ${apiVersion}, kind: ${kind}, name: web}
  minReplicas: 2
  maxReplicas: 6
`;

describe('K8S-REL-09 scale targets', () => {
  it('reports a missing built-in target', () => {
    const [r] = run(hpa('apps/v1', 'Deployment'), 'K8S-REL-09');
    expect(r!.message).toContain('scale target Deployment web does not exist');
  });

  it('does not report a custom kind the bundle has none of as missing', () => {
    expect(run(hpa('argoproj.io/v1alpha1', 'Rollout'), 'K8S-REL-09')[0]!.status).toBe('pass');
  });

  it('reports a custom kind as missing when the bundle holds others of that kind', () => {
    const other = '---\napiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: api}\n';
    const [r] = run(hpa('argoproj.io/v1alpha1', 'Rollout') + other, 'K8S-REL-09');
    expect(r!.message).toContain('scale target Rollout web does not exist');
  });
});
