import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate.js';
import { loadObjects } from '../objects/load.js';
import { parametersSchema } from '../parameters/schema.js';

const storageClass = (name: string, provisioner: string, parameters: Record<string, string> = {}) => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name },
  provisioner,
  parameters,
});

const volume = (name: string, spec: object) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], ...spec },
});

/** K8S-NS-10's verdict on each object, by name. */
function verdicts(...docs: object[]): Record<string, string> {
  const { objects } = loadObjects(docs.map((d, i) => ({ name: `${i}.json`, text: JSON.stringify(d) })));
  const results = evaluate(objects, { controls: ['K8S-NS-10'], parameters: parametersSchema.parse({}) });
  return Object.fromEntries(results.map((r) => [r.resource.name, r.status]));
}

describe('K8S-NS-10 storage encryption the provider applies by default', () => {
  it('counts Azure and Google storage classes as encrypted, EBS only when asked', () => {
    expect(
      verdicts(
        storageClass('managed-csi', 'disk.csi.azure.com', { skuname: 'StandardSSD_LRS' }),
        storageClass('azurefile', 'kubernetes.io/azure-file'),
        storageClass('standard-rwo', 'pd.csi.storage.gke.io', { type: 'pd-balanced' }),
        storageClass('gp3', 'ebs.csi.aws.com', { type: 'gp3' }),
        storageClass('gp3-enc', 'ebs.csi.aws.com', { type: 'gp3', encrypted: 'true' }),
        volume('on-aks', { storageClassName: 'managed-csi' }),
        volume('on-eks', { storageClassName: 'gp3' }),
      ),
    ).toEqual({
      'managed-csi': 'pass',
      azurefile: 'pass',
      'standard-rwo': 'pass',
      gp3: 'fail',
      'gp3-enc': 'pass',
      'on-aks': 'pass',
      'on-eks': 'fail',
    });
  });

  it('judges a volume without a known class by its own source', () => {
    expect(
      verdicts(
        volume('gce', { gcePersistentDisk: { pdName: 'd' } }),
        volume('azure-csi', { csi: { driver: 'disk.csi.azure.com', volumeHandle: 'h' } }),
        volume('ebs', { awsElasticBlockStore: { volumeID: 'vol-1' } }),
      ),
    ).toEqual({ gce: 'pass', 'azure-csi': 'pass', ebs: 'fail' });
  });
});
