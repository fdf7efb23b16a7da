#!/usr/bin/env node
import { runCli } from './run.js';

// Actions set process.exitCode for gates; runCli returns the final code.
process.exitCode = await runCli(process.argv.slice(2));
