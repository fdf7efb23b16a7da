import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate.js';
import { loadObjects } from '../objects/load.js';
import { parametersSchema } from '../parameters/schema.js';

const pod = (annotations: Record<string, string>, appArmorProfile?: Record<string, string>) =>
  loadObjects([
    {
      name: 'p.json',
      text: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', annotations },
        spec: {
          containers: [
            { name: 'c', image: 'x:1', securityContext: appArmorProfile ? { appArmorProfile } : {} },
          ],
        },
      }),
    },
  ]).objects;

const statusOf = (objects: ReturnType<typeof pod>, allowed?: string[]) =>
  evaluate(objects, {
    controls: ['K8S-POD-19'],
    parameters: parametersSchema.parse(allowed ? { allowedAppArmorProfiles: allowed } : {}),
  })[0]?.status;

describe('K8S-POD-19 allowed AppArmor profiles', () => {
  const key = 'container.apparmor.security.beta.kubernetes.io/c';
  it('refuses a profile the PSS accepts but the list does not', () => {
    expect(statusOf(pod({ [key]: 'localhost/custom' }))).toBe('pass');
    expect(statusOf(pod({ [key]: 'localhost/custom' }), ['runtime/default'])).toBe('fail');
    expect(statusOf(pod({}, { type: 'Localhost', localhostProfile: 'custom' }), ['localhost/*'])).toBe(
      'pass',
    );
  });
  it('accepts listed profiles and containers without a profile, and still refuses unconfined', () => {
    expect(statusOf(pod({ [key]: 'runtime/default' }), ['runtime/default'])).toBe('pass');
    expect(statusOf(pod({}), ['runtime/default'])).toBe('pass');
    expect(statusOf(pod({ [key]: 'unconfined' }), ['unconfined'])).toBe('fail');
  });
});
