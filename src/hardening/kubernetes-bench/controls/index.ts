import type { Control } from '../types.js';
import { section1ApiServer } from './section-1-apiserver.js';
import { section1Components } from './section-1-components.js';
import { section1Files } from './section-1-files.js';
import { section2 } from './section-2.js';
import { section3 } from './section-3.js';
import { section4 } from './section-4.js';
import { section5 } from './section-5.js';

/** Every recommendation of the CIS Kubernetes Benchmark v1.12, in benchmark order. */
export const CONTROLS: readonly Control[] = [
  ...section1Files,
  ...section1ApiServer,
  ...section1Components,
  ...section2,
  ...section3,
  ...section4,
  ...section5,
];

/** Titles of the benchmark sections, as the table groups them. */
export const SECTION_TITLES: Readonly<Record<string, string>> = {
  '1.1': '1.1 Control Plane Node Configuration Files',
  '1.2': '1.2 API Server',
  '1.3': '1.3 Controller Manager',
  '1.4': '1.4 Scheduler',
  '2': '2 Etcd Node Configuration',
  '3.1': '3.1 Authentication and Authorization',
  '3.2': '3.2 Logging',
  '4.1': '4.1 Worker Node Configuration Files',
  '4.2': '4.2 Kubelet',
  '4.3': '4.3 kube-proxy',
  '5.1': '5.1 RBAC and Service Accounts',
  '5.2': '5.2 Pod Security Standards',
  '5.3': '5.3 Network Policies and CNI',
  '5.4': '5.4 Secrets Management',
  '5.5': '5.5 Extensible Admission Control',
  '5.6': '5.6 General Policies',
};
