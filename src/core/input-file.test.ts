import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInputFile, readInputText } from './input-file.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readInputFile', () => {
  it('gives every byte of files around the read sizes, and nothing more', () => {
    for (const size of [0, 1, 65_535, 65_536, 65_537, 300_001]) {
      const bytes = Buffer.alloc(size, 0);
      for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
      const file = join(dir, `f${size}`);
      writeFileSync(file, bytes);
      const read = readInputFile(file);
      expect(read.length).toBe(size);
      expect(read.equals(bytes)).toBe(true);
    }
  });
  it('decodes UTF-8 text whole', () => {
    const file = join(dir, 'text.json');
    const text = `{"name":"${'ü'.repeat(50_000)}"}`;
    writeFileSync(file, text);
    expect(readInputText(file)).toBe(text);
  });
  it('refuses a file over the limit before reading it, naming it', () => {
    const file = join(dir, 'big');
    writeFileSync(file, 'x'.repeat(1000));
    expect(() => readInputFile(file, { maxBytes: 999 })).toThrow(
      `${file}: 1000 bytes, larger than the limit`,
    );
    expect(readInputFile(file, { maxBytes: 1000 }).length).toBe(1000);
  });
});
