import type { ConformanceSuite } from '../types.js';
import { crowdsecSuite } from './crowdsec.js';
import { falcoK8sAuditSuite } from './falco-k8saudit.js';
import { gatekeeperSuite } from './gatekeeper.js';
import { gatekeeperCelSuite } from './gatekeeper-cel.js';
import { kubeScoreSuite } from './kube-score.js';
import { kubewardenSuite } from './kubewarden.js';
import { kyvernoSuite } from './kyverno.js';
import { polarisSuite } from './polaris.js';
import { pssSuite } from './pss.js';
import { regolibrarySuite } from './regolibrary.js';
import { trivy } from './trivy.js';
import { vunnel } from './vunnel.js';
import { wazuhSuite } from './wazuh.js';

/** Every peer suite, alphabetically. Adding one = one file + one line. */
export const SUITES: readonly ConformanceSuite[] = [
  crowdsecSuite,
  falcoK8sAuditSuite,
  gatekeeperSuite,
  gatekeeperCelSuite,
  kubeScoreSuite,
  kubewardenSuite,
  kyvernoSuite,
  polarisSuite,
  pssSuite,
  regolibrarySuite,
  trivy,
  vunnel,
  wazuhSuite,
];
