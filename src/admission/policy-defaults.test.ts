import { describe, expect, it } from 'vitest';
import { defaultGroups } from './policy.js';
import { loadAdmissionPolicy, parseAdmissionPolicy } from './policy-load.js';

const OWN = 'apiVersion: bulkhead.dev/v1\nkind: AdmissionPolicy\ncontrols: [K8S-POD-01]\n';
const ids = (groups: { controls: string[] }[]) => groups.flatMap((g) => g.controls).sort();

describe('a policy file and the default bundle', () => {
  it('a file that chooses its controls replaces the bundle, and says so', () => {
    const policy = parseAdmissionPolicy(OWN, 'p.yaml');
    expect(policy.replacesDefaults).toBe(true);
    expect(ids(policy.groups)).toEqual(['K8S-POD-01']);
  });

  it('--with-defaults keeps the bundle beside the chosen controls', () => {
    const policy = parseAdmissionPolicy(OWN, 'p.yaml', { withDefaults: true });
    expect(policy.replacesDefaults).toBeUndefined();
    expect(ids(policy.groups)).toEqual([...new Set(['K8S-POD-01', ...ids(defaultGroups())])].sort());
  });

  it('no file: the bundle, nothing replaced', () => {
    const policy = loadAdmissionPolicy(undefined);
    expect(policy.replacesDefaults).toBeUndefined();
    expect(ids(policy.groups)).toEqual(ids(defaultGroups()));
  });
});
