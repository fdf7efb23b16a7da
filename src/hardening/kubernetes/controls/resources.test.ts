import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate.js';
import { loadObjects } from '../objects/load.js';
import { parametersSchema } from '../parameters/schema.js';

/** K8S-RES-04 findings (one result per object, findings joined by '; ') for one container with `resources`, under `resourceBounds` (and other parameters). */
function bounded(resources: object, params: object): string[] {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'apps' },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0', resources }] },
  };
  const { objects } = loadObjects([{ name: 'pod.json', text: JSON.stringify(pod) }]);
  return evaluate(objects, { controls: ['K8S-RES-04'], parameters: parametersSchema.parse(params) })
    .filter((r) => r.status === 'fail')
    .flatMap((r) => r.message.split('; '));
}

describe('K8S-RES-04 resourceBounds (LimitRange-like)', () => {
  it('holds set values to their min and max, in canonical units', () => {
    const cpu = { minRequest: '250m', maxRequest: 1, minLimit: '500m', maxLimit: '2' };
    expect(
      bounded({ requests: { cpu: '500m' }, limits: { cpu: '1500m' } }, { resourceBounds: { cpu } }),
    ).toEqual([]);
    expect(bounded({ requests: { cpu: '100m' }, limits: { cpu: '3' } }, { resourceBounds: { cpu } })).toEqual(
      [
        'container "app" limits.cpu 3 is above the maximum 2',
        'container "app" requests.cpu 100m is below the minimum 250m',
      ],
    );
    expect(
      bounded({ limits: { memory: '256001Ki' } }, { resourceBounds: { memory: { maxLimit: '250Mi' } } }),
    ).toEqual(['container "app" limits.memory 256001Ki is above the maximum 250Mi']);
  });

  it('fills missing values with the defaults first; a request without default takes the limit', () => {
    const memory = { maxLimit: '1Gi', defaultLimit: '2Gi', defaultRequest: '256Mi' };
    expect(bounded({}, { resourceBounds: { memory } })).toEqual([
      'container "app" limits.memory 2Gi (default) is above the maximum 1Gi',
    ]);
    // the request takes the limit (1) when neither it nor a default is given: below minRequest
    expect(bounded({ limits: { cpu: '1' } }, { resourceBounds: { cpu: { minRequest: '1500m' } } })).toEqual([
      'container "app" requests.cpu 1 (default) is below the minimum 1500m',
    ]);
    // nothing given and no default: nothing to compare
    expect(bounded({}, { resourceBounds: { cpu: { maxLimit: '1' } } })).toEqual([]);
  });

  it('a request above its limit fails only when a default made it so', () => {
    const cpu = { defaultRequest: '2' };
    expect(bounded({ limits: { cpu: '1' } }, { resourceBounds: { cpu } })).toEqual([
      'container "app" requests.cpu 2 (default) is above limits.cpu 1',
    ]);
    expect(
      bounded({ requests: { memory: '250Mi' } }, { resourceBounds: { memory: { defaultLimit: '200Mi' } } }),
    ).toEqual(['container "app" requests.memory 250Mi is above limits.memory 200Mi (default)']);
    // both set by the user: the API server validates that pair, not this control
    expect(
      bounded(
        { requests: { cpu: '10' }, limits: { cpu: '1m' } },
        { resourceBounds: { cpu: { maxLimit: '3m' } } },
      ),
    ).toEqual([]);
  });

  it('skips exempt images, stays not applicable unconfigured, and refuses a bound that is not a quantity', () => {
    const over = { limits: { cpu: '3' } };
    expect(
      bounded(over, { resourceBounds: { cpu: { maxLimit: '1' } }, exemptImages: ['registry.example.com/*'] }),
    ).toEqual([]);
    const { objects } = loadObjects([
      {
        name: 'pod.json',
        text: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p' },
          spec: { containers: [{ name: 'a', image: 'a', resources: over }] },
        }),
      },
    ]);
    expect(evaluate(objects, { controls: ['K8S-RES-04'], parameters: parametersSchema.parse({}) })).toEqual(
      [],
    );
    expect(() => parametersSchema.parse({ resourceBounds: { cpu: { maxLimit: 'lots' } } })).toThrow(
      /not a Kubernetes quantity/,
    );
    expect(() => parametersSchema.parse({ resourceBounds: { cpu: { ceiling: '1' } } })).toThrow();
  });
});
