import type { ReportKind } from '../kind.js';
import { clusterInventoryKind } from './cluster-inventory.js';
import { dockerBenchmarkKind } from './docker-benchmark.js';
import { hostInventoryKind } from './host-inventory.js';
import { imageScanKind } from './image-scan.js';
import { kubernetesBenchmarkKind } from './kubernetes-benchmark.js';
import { kubernetesScanKind } from './kubernetes-scan.js';
import { runtimeAlertsKind } from './runtime-alerts.js';

/** Every document kind the center files, one line each (kinds.test.ts checks the folder against it). */
export const REPORT_KINDS: readonly ReportKind<unknown>[] = [
  clusterInventoryKind,
  dockerBenchmarkKind,
  hostInventoryKind,
  imageScanKind,
  kubernetesBenchmarkKind,
  kubernetesScanKind,
  runtimeAlertsKind,
];
