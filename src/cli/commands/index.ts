import type { CommandModule } from '../command-module.js';
import { k8sCommands } from './k8s.js';
import { storeCommands } from './store.js';

/** Every command group, in the order `--help` lists them. Adding one = one file + one line. */
export const COMMANDS: readonly CommandModule[] = [storeCommands, k8sCommands];
