import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_PG_URL } from '../../src/store/test-support/dialects.js';
import { runBuiltCli } from './cli-support.js';

const home = mkdtempSync(join(tmpdir(), 'bulkhead-e2e-'));
const pgSchema = `cli_${process.pid}`;
afterAll(async () => {
  rmSync(home, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
  await client.end();
});

describe('the built CLI', () => {
  it('prints its version from package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const run = await runBuiltCli(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('prints help with every global option of the contract', async () => {
    const run = await runBuiltCli(['--help']);
    expect(run.code).toBe(0);
    for (const flag of [
      '--format',
      '--output',
      '--quiet',
      '--no-progress',
      '--home',
      '--database',
      '--debug',
    ]) {
      expect(run.stdout).toContain(flag);
    }
  });

  it('exits 2 with one line on stderr for an unknown command', async () => {
    const run = await runBuiltCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual(["bulkhead: unknown command 'frobnicate'"]);
  });

  it('exits 2 with one line for an unknown option and for an unsupported format', async () => {
    const unknown = await runBuiltCli(['store', 'status', '--frob']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    const format = await runBuiltCli(['--home', home, '--format', 'xml', 'store', 'status']);
    expect(format.code).toBe(2);
    expect(format.stderr).toBe('bulkhead: --format: "xml" is not available here (use table, json)\n');
  });

  it('creates the SQLite store under --home and reports it as an enveloped JSON document', async () => {
    const run = await runBuiltCli(['--home', home, '--format', 'json', 'store', 'status']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      kind: 'StoreStatus',
      tool: { name: 'bulkhead' },
      dialect: 'sqlite',
      location: join(home, 'bulkhead.db'),
    });
    expect(Number.isNaN(Date.parse(doc.generatedAt))).toBe(false);
  });

  it('takes the home directory from BULKHEAD_HOME and writes --output to a file', async () => {
    const out = join(home, 'status.json');
    const run = await runBuiltCli(['--format', 'json', '--output', out, 'store', 'status'], {
      env: { BULKHEAD_HOME: join(home, 'env-home') },
    });
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(JSON.parse(readFileSync(out, 'utf8')).location).toBe(join(home, 'env-home', 'bulkhead.db'));
  });

  it('uses PostgreSQL for --database postgres://…, and never prints its password', async () => {
    const url = new URL(TEST_PG_URL);
    url.searchParams.set('schema', pgSchema);
    const run = await runBuiltCli(['--format', 'json', '--database', url.toString(), 'store', 'status']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.dialect).toBe('postgres');
    expect(doc.location).not.toContain(`:${url.password}@`);
  });

  it('names an unreachable PostgreSQL server in one line, without its password, exit 2', async () => {
    const run = await runBuiltCli(['--database', 'postgres://u:sekrit@127.0.0.1:1/x', 'store', 'status']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^bulkhead: postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x: cannot connect to PostgreSQL: .+\n$/,
    );
    expect(run.stderr).not.toContain('sekrit');
  });

  it('refuses a file that is not a database, naming it, and leaves it untouched', async () => {
    const file = join(home, 'not-a.db');
    writeFileSync(file, 'hello, this is text and not SQLite\n'.repeat(200));
    const before = readFileSync(file);
    const run = await runBuiltCli(['--database', file, 'store', 'status']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`bulkhead: ${file}: cannot open database: not a SQLite database\n`);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
