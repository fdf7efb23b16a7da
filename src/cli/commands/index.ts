import type { CommandModule } from '../command-module.js';
import { admissionCommands } from './admission.js';
import { alertsCommands } from './alerts.js';
import { benchCommands } from './bench.js';
import { dbCommands } from './db.js';
import { imageCommands } from './image.js';
import { k8sCommands } from './k8s.js';
import { runtimeCommands } from './runtime.js';
import { sbomCommands } from './sbom.js';
import { scansCommands } from './scans.js';
import { serveCommands } from './serve.js';
import { storeCommands } from './store.js';
import { tokenCommands } from './token.js';
import { userCommands } from './user.js';

/**
 * Every command group, in the order `--help` lists them (the data flow: images, advisories, hosts, clusters,
 * run time, the center and its access, the store). Adding one = one file + one line.
 */
export const COMMANDS: readonly CommandModule[] = [
  imageCommands,
  sbomCommands,
  dbCommands,
  benchCommands,
  k8sCommands,
  admissionCommands,
  runtimeCommands,
  alertsCommands,
  serveCommands,
  userCommands,
  tokenCommands,
  scansCommands,
  storeCommands,
];
