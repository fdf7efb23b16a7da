import { admission } from './admission.js';
import { benchDocker } from './bench-docker.js';
import { benchKubernetes } from './bench-kubernetes.js';
import { cel } from './cel.js';
import { center } from './center.js';
import { dbImport } from './db-import.js';
import { k8sScan } from './k8s-scan.js';
import { k8sScanCli } from './k8s-scan-cli.js';
import { kyverno } from './kyverno.js';
import { limits } from './limits.js';
import { runtime } from './runtime.js';
import { sbom } from './sbom.js';
import { scan } from './scan.js';
import { storeWrite } from './store-write.js';
import type { Benchmark } from './types.js';

/** Every benchmark, alphabetically. Adding one = one file + one line. */
export const BENCHMARKS: readonly Benchmark[] = [
  admission,
  benchDocker,
  benchKubernetes,
  cel,
  center,
  dbImport,
  k8sScan,
  k8sScanCli,
  kyverno,
  limits,
  runtime,
  sbom,
  scan,
  storeWrite,
];
