import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { UserInputError } from '../core/errors.js';
import { isBzip2 } from './bzip2.js';
import { listSources, readSource } from './reader.js';
import { bzip2 } from './test-support/bzip2.js';
import { loadRecords } from './test-support/load.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GO = corpusPath('vulndb', 'osv', 'go', 'golang-vulndb', 'data', 'osv', 'GO-2020-0001.json');
/** Oracle's ELSA OVAL, which Oracle publishes bzip2-compressed only. */
const ORACLE = corpusPath(
  'vulndb',
  'oracle',
  'vunnel',
  'tests',
  'unit',
  'providers',
  'oracle',
  'test-fixtures',
  'mock_data',
);

function file(name: string, data: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

function readError(path: string): UserInputError {
  try {
    readSource({ path, explicit: true });
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
  throw new Error(`${path} was accepted`);
}

/** A YAML "billion laughs": nine levels of nine aliases each. */
function yamlBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++) {
    const prev = names[i - 1]!;
    lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('reading bad input', () => {
  it.each([
    ['truncated.json', () => readFileSync(GO, 'utf8').slice(0, 300), /truncated.json: truncated JSON/],
    ['bomb.yaml', yamlBomb, /bomb.yaml: malformed YAML: .*alias/i],
    ['empty.json', () => '', /empty.json: empty file/],
    ['empty', () => '', /empty: empty file/],
    [
      'random.bin',
      () => new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe]),
      /random.bin: binary data/,
    ],
    ['latin1.json', () => Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]), /latin1.json: binary data/],
  ])('%s is refused with an error naming the file', (name, make, message) => {
    const error = readError(file(name, make()));
    expect(error.input).toBe(join(dir, name));
    expect(error.message).toMatch(message);
  });

  it('an unknown but well-formed file given by name is refused; in a directory it is skipped', () => {
    const path = file('notes.txt', 'nothing to see\n');
    expect(() => loadRecords([path])).toThrow(/no feed sniffed/);
    const sub = join(dir, 'tree');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'README'), 'hello');
    writeFileSync(join(sub, 'logo.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]));
    writeFileSync(join(sub, '.hidden.json'), '{');
    const files = listSources([sub]);
    expect(files.map((f) => f.path.slice(sub.length + 1))).toEqual(['README', 'logo.png']);
    const [readme, png] = files.map((f) => readSource(f));
    expect(readme).toMatchObject([{ input: { kind: 'text', text: 'hello' } }]);
    expect(png).toEqual([{ skipped: join(sub, 'logo.png'), reason: 'not feed data' }]);
  });

  it('a bad data file inside a directory is still an error naming it', () => {
    const sub = join(dir, 'tree2');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'broken.json'), '{"id": "GO-1",');
    const [f] = listSources([sub]);
    expect(() => readSource(f!)).toThrow(/broken.json: truncated JSON/);
  });

  it('reads a YAML feed with every scalar a string, and refuses one that repeats a value by alias', () => {
    const secdb =
      'distroversion: v3.19\nreponame: main\npackages:\n  - pkg:\n      name: zlib\n      secfixes:\n        1.10-r0:\n          - CVE-2018-25032\n';
    const [item] = readSource({ path: file('main.yaml', secdb), explicit: true });
    expect(item).toMatchObject({
      input: { kind: 'yaml', doc: { packages: [{ pkg: { secfixes: { '1.10-r0': ['CVE-2018-25032'] } } }] } },
    });
    const once = `${secdb}  - pkg: &z\n      name: zlib2\n  - pkg: *z\n`;
    const error = readError(file('alias.yaml', once));
    expect(error.message).toBe(
      `${join(dir, 'alias.yaml')}: malformed YAML: an alias (*name) repeats a value; a feed may not use aliases`,
    );
    expect(readError(file('two.yaml', 'a: 1\n---\nb: 2\n')).message).toMatch(/two.yaml: malformed YAML: /);
  });

  it('refuses a missing path', () => {
    expect(() => listSources([join(dir, 'nope')])).toThrow(/nope: no such file/);
  });
});

describe('archives', () => {
  it('reads an OSV zip (as OSV publishes all.zip) and a gzip file', () => {
    const rec = readFileSync(GO);
    const zip = file(
      'all.zip',
      zipSync({ 'GO-2020-0001.json': rec, 'README.txt': new TextEncoder().encode('x') }),
    );
    const { records, feeds } = loadRecords([zip]);
    expect(feeds).toEqual(['osv']);
    expect(records.map((r) => r.id)).toEqual(['GO-2020-0001']);
    const items = readSource({ path: zip, explicit: true });
    expect(items.map((i) => ('input' in i ? i.input.origin : i.skipped))).toEqual([
      `${zip}!GO-2020-0001.json`,
      `${zip}!README.txt`,
    ]);
    const gz = file('GO-2020-0001.json.gz', gzipSync(rec));
    expect(loadRecords([gz]).records.map((r) => r.id)).toEqual(['GO-2020-0001']);
  });

  it('names the bad entry of an archive', () => {
    const zip = file(
      'bad.zip',
      zipSync({ 'ok.json': readFileSync(GO), 'cut.json': new TextEncoder().encode('[{"id":') }),
    );
    expect(() => readSource({ path: zip, explicit: true })).toThrow(/bad.zip!cut.json: truncated JSON/);
  });
});

describe('bzip2', () => {
  it('is told by its header and first block, not by a file that merely starts with "BZh"', () => {
    expect(isBzip2(bzip2(readFileSync(ORACLE)))).toBe(true);
    expect(isBzip2(bzip2(new Uint8Array(0)))).toBe(true);
    expect(isBzip2(new TextEncoder().encode('BZh9 is not a feed'))).toBe(false);
  });

  it('given by name, is refused with one line naming it (not read yet); in a directory it is skipped', () => {
    const bz2 = file('com.oracle.elsa-all.xml.bz2', bzip2(readFileSync(ORACLE)));
    const error = readError(bz2);
    expect(error.input).toBe(bz2);
    expect(error.message).toMatch(/bzip2-compressed, which is not read yet/);
    expect(error.message).not.toContain('\n');
    expect(readSource({ path: bz2, explicit: false })).toEqual([{ skipped: bz2, reason: 'not feed data' }]);
  });
});
