import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate.js';
import { loadObjects } from '../objects/load.js';
import { parametersSchema } from '../parameters/schema.js';

function claimVerdict(storageClassName: string, params: object): string[] {
  const pvc = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'apps' },
    spec: { storageClassName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };
  const { objects } = loadObjects([{ name: 'pvc.json', text: JSON.stringify(pvc) }]);
  return evaluate(objects, { controls: ['K8S-NS-09'], parameters: parametersSchema.parse(params) }).map(
    (r) => `${r.status}: ${r.message}`,
  );
}

describe('K8S-NS-09 storage classes', () => {
  it('refuses a denied class even when the allow list names it; other classes pass', () => {
    expect(claimVerdict('fast', { deniedStorageClasses: ['fast'] })).toEqual([
      'fail: storage class fast is denied',
    ]);
    expect(claimVerdict('fast', { deniedStorageClasses: ['fast'], allowedStorageClasses: ['fast'] })).toEqual(
      ['fail: storage class fast is denied'],
    );
    expect(claimVerdict('slow', { deniedStorageClasses: ['fast'] })).toEqual([
      expect.stringMatching(/^pass/),
    ]);
    expect(claimVerdict('slow', { allowedStorageClasses: ['fast'] })).toEqual([
      'fail: storage class slow is not allowed',
    ]);
  });
});
