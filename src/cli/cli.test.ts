import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOOL } from '../core/version.js';
import { COMMANDS } from './commands/index.js';
import { buildProgram } from './program.js';
import { cliReference } from './reference.js';
import { runCli } from './run.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { writeOut: (t: string) => void out.push(t), writeErr: (t: string) => void err.push(t) },
    out,
    err,
  };
}

describe('command registry', () => {
  it('lists every file under commands/ exactly once, with unique kebab-case names', () => {
    const files = readdirSync(new URL('./commands/', import.meta.url)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts',
    );
    expect(COMMANDS).toHaveLength(files.length);
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
  });
});

describe('package metadata', () => {
  it('keeps the tool version equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(TOOL.version).toBe(pkg.version);
  });
  it('keeps docs/cli.md generated from the program (npm run docs:cli)', () => {
    const docs = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    expect(docs).toBe(cliReference(buildProgram(capture().io)));
  });
});

describe('runCli', () => {
  it('prints help and exits 0 without arguments', async () => {
    const c = capture();
    expect(await runCli([], c.io)).toBe(0);
    expect(c.out.join('')).toContain('Usage: bulkhead');
  });
  it('exits 2 for a missing subcommand argument or bad option value', async () => {
    const c = capture();
    expect(await runCli(['store', 'status', '--nope'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/^bulkhead: unknown option '--nope'[^\n]*\n$/);
  });
});
