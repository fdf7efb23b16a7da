import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchmarkId } from '../benchmark.js';
import type { Evidence } from '../types.js';

/** Which benchmark fits the node, and the evidence that decided it (said in the report). */
export interface DetectedBenchmark {
  id: BenchmarkId;
  reason: string;
}

/**
 * Files the managed node images carry and a self-managed node does not, checked under the node root: the EKS AMIs'
 * bootstrap directory and kubelet config location, GKE's kubelet files under /home/kubernetes, AKS's cloud config.
 * Then the kubelet's `--cloud-provider` (aws, gce, azure: older nodes name their cloud there). Nothing found: the
 * generic benchmark.
 */
const MARKERS: readonly { id: BenchmarkId; files: readonly string[]; cloud: string }[] = [
  {
    id: 'eks-1.8',
    files: ['etc/eks/bootstrap.sh', 'etc/kubernetes/kubelet/kubelet-config.json'],
    cloud: 'aws',
  },
  {
    id: 'gke-1.9',
    files: ['home/kubernetes/kubelet-config.yaml', 'home/kubernetes/bin/kubelet'],
    cloud: 'gce',
  },
  { id: 'aks-1.8', files: ['etc/kubernetes/azure.json', 'etc/default/kubeletconfig.json'], cloud: 'azure' },
];

export function detectBenchmark(evidence: Evidence): DetectedBenchmark {
  for (const m of MARKERS) {
    const file = m.files.find((f) => existsSync(join(evidence.root, f)));
    if (file) return { id: m.id, reason: `/${file} is present` };
  }
  const cloud = evidence.components.get('kubelet')?.flags.get('cloud-provider');
  const byCloud = MARKERS.find((m) => m.cloud === cloud);
  if (byCloud) return { id: byCloud.id, reason: `the kubelet runs with --cloud-provider=${cloud}` };
  return { id: 'cis-1.12', reason: 'no managed-node marker found' };
}
