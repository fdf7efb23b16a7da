// Regenerate docs/cli.md from the program: npm run docs:cli
import { writeFileSync } from 'node:fs';
import { buildProgram } from '../src/cli/program.js';
import { cliReference } from '../src/cli/reference.js';

const program = buildProgram({ writeOut: () => {}, writeErr: () => {} });
writeFileSync(new URL('../docs/cli.md', import.meta.url), cliReference(program));
