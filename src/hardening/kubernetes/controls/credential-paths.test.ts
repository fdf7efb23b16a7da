import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../../test/corpus.js';
import { evaluate } from '../evaluate.js';
import { loadObjects } from '../objects/load.js';
import { parametersSchema } from '../parameters/schema.js';
import { isCredentialPath } from './credential-paths.js';

describe('isCredentialPath', () => {
  it('matches credential directories by path component, in any home', () => {
    for (const p of [
      '/root/.aws/',
      '/root/.aws/credentials',
      '/home/ec2-user/.aws',
      '/.aws',
      '~/.aws/config',
      '/home/azureuser/.azure/',
      '/root/.config/gcloud/application_default_credentials.json',
      '/home/admin/.config',
      '/var/secrets/application_default_credentials.json',
    ])
      expect(isCredentialPath(p), p).toBe(true);
  });

  it('matches the fixed node credential files, what lies under them and what contains them', () => {
    for (const p of [
      '/etc/kubernetes/azure.json',
      '/etc/kubernetes',
      '/etc',
      '/',
      '/var/lib/kubelet/pki',
      '/root',
    ])
      expect(isCredentialPath(p), p).toBe(true);
  });

  it('does not match a component that only contains the name', () => {
    for (const p of [
      '/data/not.aws/x',
      '/srv/aws',
      '/opt/.awsome',
      '/var/log',
      '/etc/kubernetes-azure.json',
      '/home/u/data',
    ])
      expect(isCredentialPath(p), p).toBe(false);
  });
});

function verdict(path: string): string[] {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'apps' },
    spec: {
      containers: [{ name: 'c', image: 'nginx:1.27', volumeMounts: [{ name: 'v', mountPath: '/mnt' }] }],
      volumes: [{ name: 'v', hostPath: { path } }],
    },
  };
  const { objects } = loadObjects([{ name: 'pod.json', text: JSON.stringify(pod) }]);
  return evaluate(objects, { controls: ['K8S-POD-35'], parameters: parametersSchema.parse({}) }).map(
    (r) => `${r.status}: ${r.message}`,
  );
}

describe('K8S-POD-35 cloud credential files mounted', () => {
  it('flags a home credential directory and passes a look-alike', () => {
    expect(verdict('/home/ec2-user/.aws')).toEqual([
      'fail: volume "v" mounts credential location /home/ec2-user/.aws',
    ]);
    expect(verdict('/data/not.aws/x')).toEqual([expect.stringMatching(/^pass/)]);
  });

  it('flags the AWS credential directory and file mounted by a Kubescape test Deployment', () => {
    const file = corpusPath(
      'manifests',
      'regolibrary',
      'rules',
      'ensure-external-secrets-storage-is-in-use',
      'test',
      'failed_deployment',
      'input',
      'deployment.yaml',
    );
    const { objects } = loadObjects([{ name: file, text: readFileSync(file, 'utf8') }]);
    const [result] = evaluate(objects, { controls: ['K8S-POD-35'], parameters: parametersSchema.parse({}) });
    expect(result?.status).toBe('fail');
    expect(result?.message).toContain('mounts credential location /.aws/credentials');
    expect(result?.message).toContain('mounts credential location /.aws/');
  });
});
