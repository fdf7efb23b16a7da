import type { CommandModule } from '../command-module.js';
import { dbCommands } from './db.js';
import { imageCommands } from './image.js';
import { sbomCommands } from './sbom.js';
import { storeCommands } from './store.js';

/** Every command group, in the order `--help` lists them. Adding one = one file + one line. */
export const COMMANDS: readonly CommandModule[] = [dbCommands, storeCommands, sbomCommands, imageCommands];
