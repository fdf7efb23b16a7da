#!/usr/bin/env node
import { runCli } from './run.js';

// Actions report gates through ctx.exit; runCli returns the final code, the only place the process learns it.
process.exitCode = await runCli(process.argv.slice(2));
