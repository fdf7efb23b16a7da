import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate.js';
import { capabilityName, scaledCount, withDefaults, withDefaultsAll } from './defaults.js';
import { loadObjects } from './load.js';

function load(text: string) {
  return loadObjects([{ name: 'in.yaml', text }]).objects;
}

function statuses(text: string, control: string, standard?: 'pss-restricted' | 'pss-baseline') {
  return evaluate(load(text), { controls: [control], ...(standard ? { standard } : {}) }).map(
    (r) => `${r.resource.kind}:${r.status}`,
  );
}

const POD_WITH_VOLUMES = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: nginx:1.27}]
  volumes:
  - name: scratch
  - name: cfg
    configMap: {name: cfg}
`;

describe('withDefaults', () => {
  it('makes a volume without a source an emptyDir, without touching the given object', () => {
    const [item] = load(POD_WITH_VOLUMES);
    const before = JSON.stringify(item!.object);
    const defaulted = withDefaults(item!.object);
    expect(defaulted.spec).toMatchObject({
      volumes: [
        { name: 'scratch', emptyDir: {} },
        { name: 'cfg', configMap: { name: 'cfg' } },
      ],
    });
    expect(JSON.stringify(item!.object)).toBe(before);
  });

  it('returns an object that needs no default as is', () => {
    const [item] = load('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n');
    expect(withDefaults(item!.object)).toBe(item!.object);
    expect(withDefaultsAll([item!])[0]).toBe(item);
  });

  it('keeps the source and the object as written beside the defaulted one', () => {
    const items = load(`---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n${POD_WITH_VOLUMES}`);
    const [, pod] = withDefaultsAll(items);
    expect(pod!.source).toEqual(items[1]!.source);
    expect(pod!.given).toBe(items[1]!.object);
  });

  it('gives a Deployment the rolling update strategy and an HPA minReplicas 1', () => {
    const [deploy, hpa] = load(`apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec: {strategy: {rollingUpdate: {maxSurge: 1}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec: {maxReplicas: 5}
`);
    expect(withDefaults(deploy!.object).spec).toEqual({
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
    });
    expect(withDefaults(hpa!.object).spec).toEqual({ maxReplicas: 5, minReplicas: 1 });
  });
});

describe('capabilityName and scaledCount', () => {
  it('reads capabilities as the runtime does', () => {
    expect(['CAP_SYS_ADMIN', 'sys_admin', 'Cap_Sys_Admin'].map(capabilityName)).toEqual([
      'SYS_ADMIN',
      'SYS_ADMIN',
      'SYS_ADMIN',
    ]);
  });

  it('resolves percentages rounding up, refuses other strings', () => {
    expect(scaledCount('50%', 3)).toBe(2);
    expect(scaledCount('10%', 3)).toBe(1);
    expect(scaledCount('0%', 3)).toBe(0);
    expect(scaledCount(2, 3)).toBe(2);
    expect(scaledCount('2', 3)).toBeUndefined();
  });
});

describe('controls judge the defaulted object', () => {
  it('a volume without a source is an allowed emptyDir (restricted)', () => {
    expect(statuses(POD_WITH_VOLUMES, 'K8S-POD-25', 'pss-restricted')).toEqual(['Pod:pass']);
    expect(statuses(POD_WITH_VOLUMES, 'K8S-POD-25')).toEqual(['Pod:pass']);
  });

  const caps = (add: string, drop: string) => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: nginx:1.27
    securityContext: {capabilities: {add: [${add}], drop: [${drop}]}}
`;

  it('capability names are matched with or without CAP_ and in any case, in add and drop', () => {
    expect(statuses(caps('cap_sys_admin', 'all'), 'K8S-POD-10')).toEqual(['Pod:fail']);
    expect(statuses(caps('chown', 'cap_net_raw'), 'K8S-POD-12')).toEqual(['Pod:pass']);
    expect(statuses(caps('', 'all'), 'K8S-POD-12')).toEqual(['Pod:pass']);
  });

  it('Pod Security still compares capabilities as written, as admission does', () => {
    expect(statuses(caps('CAP_CHOWN', 'ALL'), 'K8S-POD-09', 'pss-baseline')).toEqual(['Pod:fail']);
    expect(statuses(caps('CHOWN', 'ALL'), 'K8S-POD-09', 'pss-baseline')).toEqual(['Pod:pass']);
  });

  const pdb = (replicas: number, budget: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx:1.27}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec: {selector: {matchLabels: {app: web}}, ${budget}}
`;

  it('PodDisruptionBudget percentages are resolved against the replicas', () => {
    expect(statuses(pdb(1, 'minAvailable: 50%'), 'K8S-REL-07')).toEqual([
      'Deployment:fail',
      'PodDisruptionBudget:fail',
    ]);
    expect(statuses(pdb(4, 'minAvailable: 50%'), 'K8S-REL-07')).toEqual([
      'Deployment:pass',
      'PodDisruptionBudget:pass',
    ]);
    expect(statuses(pdb(3, 'maxUnavailable: 10%'), 'K8S-REL-07')).toEqual([
      'Deployment:pass',
      'PodDisruptionBudget:pass',
    ]);
    expect(statuses(pdb(3, 'maxUnavailable: 0%'), 'K8S-REL-07')).toContain('Deployment:fail');
  });

  it('an HPA without minReplicas scales from 1, and only a written minimum is judged against the floor', () => {
    const text = (min: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 1
  ${min}
`;
    const [absent] = evaluate(load(text('')), { controls: ['K8S-REL-09'] });
    expect(absent!.message).toContain('maxReplicas 1 leaves no room above minReplicas 1');
    expect(absent!.message).not.toContain('is below');
    const [written] = evaluate(load(text('minReplicas: 1')), { controls: ['K8S-REL-09'] });
    expect(written!.message).toContain('minReplicas 1 is below 2');
  });

  it('a Deployment without a strategy rolls', () => {
    const d = (strategy: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 2${strategy}}\n`;
    expect(statuses(d(''), 'K8S-REL-10')).toEqual(['Deployment:pass']);
    expect(statuses(d(', strategy: {type: Recreate}'), 'K8S-REL-10')).toEqual(['Deployment:fail']);
  });
});
