import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../core/errors.js';
import type { WantFn } from './file-view.js';
import { walkLayers } from './layer-walk.js';
import { memoryImage, tarOf } from './test-support/tar.js';
import type { ImageSource } from './types.js';

const wantAll: WantFn = () => ({ maxBytes: 1 << 20 });
const text = (b: Buffer | undefined) => b?.toString('utf8');

describe('layer walk: the final file view', () => {
  it('later layers replace files, whiteouts delete them, opaque dirs hide lower contents', async () => {
    const l0 = await tarOf([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/a', content: 'a0' },
      { name: 'etc/b', content: 'b0' },
      { name: 'opt/app/x', content: 'x0' },
      { name: 'opt/app/sub/y', content: 'y0' },
      { name: 'var/gone/z', content: 'z0' },
    ]);
    const l1 = await tarOf([
      { name: 'etc/a', content: 'a1' },
      { name: 'etc/.wh.b' },
      { name: 'opt/app/.wh..wh..opq' },
      { name: 'opt/app/new', content: 'n1' },
      { name: 'var/.wh.gone' },
    ]);
    const view = await walkLayers(memoryImage([gzipSync(l0), l1]), wantAll);
    expect([...view.entries.keys()].sort()).toEqual(['etc/a', 'opt/app/new']);
    expect(text(view.read('etc/a'))).toBe('a1');
    expect(view.entries.get('etc/a')!.layer).toBe(1);
    expect(view.skipped).toEqual([]);
  });

  it('an opaque marker only hides lower layers, not files of its own layer', async () => {
    const l0 = await tarOf([{ name: 'd/old', content: 'o' }]);
    const l1 = await tarOf([{ name: 'd/mine', content: 'm' }, { name: 'd/.wh..wh..opq' }]);
    const view = await walkLayers(memoryImage([l0, l1]), wantAll);
    expect([...view.entries.keys()]).toEqual(['d/mine']);
  });

  it('zstd layers are read like gzip ones', async () => {
    const { execFileSync } = await import('node:child_process');
    const tar = await tarOf([{ name: 'etc/os-release', content: 'ID=alpine\n' }]);
    const zst = execFileSync('zstd', ['-q', '-c'], { input: tar });
    const view = await walkLayers(memoryImage([zst]), wantAll);
    expect(text(view.read('etc/os-release'))).toBe('ID=alpine\n');
  });

  it('keeps only wanted files, skips those over the size cap, follows symlinks inside the view', async () => {
    const l0 = await tarOf([
      { name: 'usr/lib/os-release', content: 'ID=debian\n' },
      { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
      { name: 'big', content: Buffer.alloc(2000) },
      { name: 'ignored', content: 'nope' },
    ]);
    const wants: WantFn = (path) => (path === 'ignored' ? undefined : { maxBytes: 1000 });
    const view = await walkLayers(memoryImage([l0]), wants);
    expect(text(view.read('etc/os-release'))).toBe('ID=debian\n');
    expect(view.entries.has('ignored')).toBe(false);
    expect(view.skipped).toEqual([{ path: 'big', reason: 'larger than 1000 bytes (2000)' }]);
  });
});

describe('hostile layers', () => {
  const root = mkdtempSync(join(tmpdir(), 'bulkhead-hostile-'));
  const sandbox = join(root, 'sandbox');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('.. and absolute paths, symlinks out, hard links to missing files: nothing escapes, nothing is written', async () => {
    const layer = await tarOf([
      { name: '../../escape', content: 'x' },
      { name: `${sandbox}/abs`, content: 'abs' },
      { name: '/etc/passwd', content: 'root::0:0' },
      { name: 'a/../../../up', content: 'up' },
      { name: 'etc/os-release', type: 'symlink', linkname: '../../../../../etc/os-release' },
      { name: 'lib/apk/db/installed', type: 'link', linkname: 'does/not/exist' },
      { name: 'sneaky', type: 'symlink', linkname: '/etc/shadow' },
    ]);
    const before = readdirSync(root);
    const view = await walkLayers(memoryImage([layer]), wantAll);
    expect(readdirSync(root)).toEqual(before);
    expect(view.entries.has('escape')).toBe(false);
    expect(view.skipped.map((s) => s.path)).toEqual(
      expect.arrayContaining(['../../escape', 'a/../../../up', 'lib/apk/db/installed']),
    );
    // absolute paths are root-relative inside the view
    expect(text(view.read('etc/passwd'))).toBe('root::0:0');
    // a symlink climbing out resolves inside the view (clamped at its root), never on the host
    expect(view.read('etc/os-release')).toBeUndefined();
    expect(view.read('sneaky')).toBeUndefined();
  });

  it('a truncated layer is skipped with a warning; the other layers still count', async () => {
    const good = await tarOf([{ name: 'etc/os-release', content: 'ID=alpine\n' }]);
    const full = gzipSync(
      await tarOf([{ name: 'lib/apk/db/installed', content: Buffer.alloc(50_000, 'P') }]),
    );
    const truncated = full.subarray(0, full.length / 2);
    const view = await walkLayers(memoryImage([good, truncated]), wantAll);
    expect(text(view.read('etc/os-release'))).toBe('ID=alpine\n');
    expect(view.skipped).toHaveLength(1);
    expect(view.skipped[0]!.reason).toMatch(/unreadable layer skipped/);
  });

  it('a layer that is not a tar is skipped with a warning', async () => {
    const view = await walkLayers(
      memoryImage([Buffer.from('this is not a tar archive at all '.repeat(40))]),
      wantAll,
    );
    expect(view.skipped).toHaveLength(1);
    expect(view.skipped[0]!.reason).toMatch(/unreadable layer skipped/);
  });

  it('a 10 GB-expanding gzip bomb stops with a clear error and bounded memory', async () => {
    // a tar header announcing a 10 GiB file (base-256 size), then 160 gzip members of 64 MiB of zeros each
    const header = Buffer.alloc(512);
    header.write('bomb', 0);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header[124] = 0x80;
    header.writeUIntBE(10 * 2 ** 30, 124 + 12 - 6, 6);
    header.write('00000000000\0', 136);
    header[156] = 0x30;
    header.write('ustar\0', 257);
    header.write('00', 263);
    header.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    const zeros = gzipSync(Buffer.alloc(64 * 2 ** 20), { level: 9 });
    const bomb = Readable.from(
      (function* () {
        yield gzipSync(header);
        for (let i = 0; i < 160; i++) yield zeros;
      })(),
    );
    const source: ImageSource = {
      ...memoryImage([]),
      layers: [{ digest: 'sha256:bomb' }],
      openLayer: async () => bomb,
    };
    const rssBefore = process.memoryUsage().rss;
    await expect(walkLayers(source, wantAll)).rejects.toThrow(UserInputError);
    await expect(
      walkLayers(
        { ...source, openLayer: async () => Readable.from([gzipSync(header), zeros, zeros]) },
        wantAll,
      ),
    ).resolves.toBeDefined();
    const grown = process.memoryUsage().rss - rssBefore;
    expect(grown).toBeLessThan(256 * 2 ** 20);
    expect(zeros.length * 160).toBeLessThan(20 * 2 ** 20);
  });
});
