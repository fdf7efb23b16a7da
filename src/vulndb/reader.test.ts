import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { UserInputError } from '../core/errors.js';
import { bunzip2Bounded, isBzip2 } from './bzip2.js';
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
  const oracle = readFileSync(ORACLE);
  const oneLine = (path: string, message: RegExp) => {
    const error = readError(path);
    expect(error.input).toBe(path);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  };

  it('is told by its header and first block, not by a file that merely starts with "BZh"', () => {
    expect(isBzip2(bzip2(oracle))).toBe(true);
    expect(isBzip2(bzip2(new Uint8Array(0)))).toBe(true);
    expect(isBzip2(new TextEncoder().encode('BZh9 is not a feed'))).toBe(false);
  });

  it("reads Oracle's ELSA OVAL as published (.bz2): the same records as the XML it was made from", () => {
    const plain = loadRecords([ORACLE]);
    expect(plain.records.length).toBeGreaterThan(0);
    const bz2 = file('com.oracle.elsa-all.xml.bz2', bzip2(oracle));
    const packed = loadRecords([bz2]);
    expect(packed.feeds).toEqual(['oracle-oval']);
    expect(packed.records).toEqual(plain.records);
  });

  it('reads concatenated streams (as pbzip2 writes them), and a .json.bz2 in a directory as JSON', () => {
    const half = oracle.length >> 1;
    const multi = file(
      'multi.xml.bz2',
      Buffer.concat([bzip2(oracle.subarray(0, half)), bzip2(oracle.subarray(half))]),
    );
    expect(loadRecords([multi]).records).toEqual(loadRecords([ORACLE]).records);
    const sub = join(dir, 'bz2-tree');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'GO-2020-0001.json.bz2'), bzip2(readFileSync(GO)));
    const [go] = listSources([sub]).map((f) => readSource(f));
    expect(go).toMatchObject([{ input: { kind: 'json', doc: { id: 'GO-2020-0001' } } }]);
  });

  it('truncated, corrupt or followed by other data: refused with one line naming the file', () => {
    const packed = bzip2(oracle);
    oneLine(file('cut.xml.bz2', packed.subarray(0, packed.length >> 1)), /cut.xml.bz2: truncated bzip2 data/);
    // cut inside the end-of-stream marker and CRC: every block is whole, the stream is not
    oneLine(file('cut-end.xml.bz2', packed.subarray(0, packed.length - 3)), /truncated bzip2 data/);
    const flipped = Uint8Array.from(packed);
    for (let i = 100; i < 140; i++) flipped[i] = flipped[i]! ^ 0x55;
    oneLine(file('flipped.xml.bz2', flipped), /flipped.xml.bz2: corrupt bzip2 data/);
    const trailing = Buffer.concat([packed, Buffer.from('garbage')]);
    oneLine(file('trailing.xml.bz2', trailing), /trailing.xml.bz2: 7 bytes of trailing data/);
    // garbage under a .bz2 name is not bzip2 at all
    oneLine(
      file(
        'garbage.bz2',
        Uint8Array.from({ length: 4096 }, (_, i) => (i * 97 + 13) % 251),
      ),
      /garbage.bz2: binary data/,
    );
  });

  it('stops expanding at the byte budget: a bomb of zeros is refused, not held', () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const bomb = bzip2(zeros);
    expect(bomb.length).toBeLessThan(1024);
    expect(() => bunzip2Bounded('bomb.bz2', bomb, 1024 * 1024)).toThrow(
      /^bomb.bz2: decompresses to more than 1048576 bytes$/,
    );
    expect(bunzip2Bounded('exact.bz2', bomb, zeros.length).length).toBe(zeros.length);
  });
});
