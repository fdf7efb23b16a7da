import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { corpusPath } from '../../../test/corpus.js';
import { interpretRecord } from './interpret.js';
import { decodeSockaddr, execveArgv, normalise } from './normalise.js';
import { Reassembler } from './reassemble.js';
import { type AuditRecord, parseRecord } from './record.js';

const AU = (...p: string[]) => corpusPath('runtime', 'audit-userspace', 'auparse', 'test', ...p);
const GL = (...p: string[]) => corpusPath('runtime', 'go-libaudit', ...p);

function group(text: string, maxOpen?: number): { events: AuditRecord[][]; stats: Reassembler['stats'] } {
  const events: AuditRecord[][] = [];
  const r = new Reassembler((recs) => events.push(recs), maxOpen ? { maxOpen } : {});
  for (const line of text.split('\n')) r.line(line);
  r.end();
  return { events, stats: r.stats };
}

interface RefRecord {
  file: string;
  line: number;
  type: string;
  stamp: string;
  fields: string[];
}

/** Parse auparse_test.ref's "walk events, records" sections into events of records. */
function refEvents(): Map<string, RefRecord[][]> {
  const text = readFileSync(AU('auparse_test.ref'), 'utf8');
  const byFile = new Map<string, RefRecord[][]>();
  const seen = new Set<string>();
  for (const section of text.split(/^Starting Test \d+, /m)) {
    if (!/^walk (?:events, records of (?:1|2) files?|LONG event records from a file)/.test(section)) continue;
    for (const block of section.split(/^event \d+ has \d+ records\n/m).slice(1)) {
      const records: RefRecord[] = [];
      for (const rec of block.split(/^ {4}record \d+ of type /m).slice(1)) {
        const lines = rec.split('\n');
        const where = /line=(\d+) file=(?:\.\/)?(\S+)/.exec(lines[1] ?? '')!;
        const stamp = /event time: (\S+):\d+/.exec(lines[2] ?? '')![1]!;
        const fields = lines
          .slice(3)
          .filter((l) => l.startsWith('        '))
          .map((l) => l.trim());
        records.push({ file: where[2]!, line: Number(where[1]), type: fields[0]!.slice(5), stamp, fields });
      }
      const first = records[0]!;
      const key = `${first.file}:${first.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = byFile.get(first.file) ?? [];
      list.push(records);
      byFile.set(first.file, list);
    }
  }
  return byFile;
}

describe('auditd parser against audit-userspace auparse_test.ref', () => {
  const expected = refEvents();
  it('covers the three sample logs the reference walks', () => {
    expect([...expected.keys()].sort()).toEqual(['test.log', 'test2.log', 'test4.log']);
  });
  for (const [file, events] of expected) {
    it(`groups ${file} into the same events, records and fields`, () => {
      const { events: got } = group(readFileSync(AU(file), 'utf8'));
      expect(got.map((e) => e.length)).toEqual(events.map((e) => e.length));
      got.forEach((recs, i) => {
        recs.forEach((r, j) => {
          const want = events[i]![j]!;
          expect(r.type).toBe(want.type);
          expect(r.stamp).toBe(want.stamp);
          expect([`type=${r.type}`, ...r.fields.map(([k, v]) => `${k}=${v}`)]).toEqual(want.fields);
        });
      });
    });
  }
});

describe('auditd parser against go-libaudit auparse goldens', () => {
  const dir = GL('auparse', 'testdata');
  const logs = readdirSync(dir).filter((f) => f.endsWith('.log'));
  it('has the seven golden logs', () => expect(logs.length).toBe(7));
  for (const log of logs) {
    it(`reproduces record type, sequence, time and interpreted fields of ${log}`, () => {
      const lines = readFileSync(`${dir}/${log}`, 'utf8').split('\n').filter(Boolean);
      const golden = JSON.parse(readFileSync(`${dir}/${log}.golden`, 'utf8')) as (null | {
        '@timestamp': string;
        record_type: string;
        sequence: number;
        data?: Record<string, string>;
      })[];
      expect(lines.length).toBe(golden.length);
      lines.forEach((line, i) => {
        const g = golden[i];
        const r = parseRecord(line);
        if (g === null || g === undefined) {
          expect(r).toBeUndefined(); // go-libaudit cannot parse it either (`msg=?`)
          return;
        }
        expect(r).toBeDefined();
        expect(r!.type.toLowerCase()).toBe(g.record_type);
        expect(r!.serial).toBe(g.sequence);
        expect(Math.round(r!.time * 1000)).toBe(Date.parse(g['@timestamp']));
        const data = interpretRecord(r!);
        for (const [k, v] of Object.entries(g.data ?? {})) expect({ [k]: data[k] }).toEqual({ [k]: v });
      });
    });
  }
});

describe('auditd reassembly', () => {
  const normal = group(readFileSync(GL('testdata', 'normal.log'), 'utf8'));
  const summary = (events: AuditRecord[][]) =>
    events
      .map(
        (e) =>
          `${e[0]!.stamp}:${e
            .map((r) => r.type)
            .sort()
            .join(',')}`,
      )
      .sort();

  it('groups records by serial', () => {
    expect(normal.events.length).toBe(5);
    expect(normal.stats.lost).toBe(0);
  });
  it('groups interleaved, out-of-order records the same way', () => {
    const ooo = group(readFileSync(GL('testdata', 'out_of_order.log'), 'utf8'));
    expect(summary(ooo.events)).toEqual(summary(normal.events));
  });
  it('counts lost serials without failing', () => {
    const lost = group(readFileSync(GL('testdata', 'lost_messages.log'), 'utf8'));
    expect(lost.events.length).toBe(5);
    expect(lost.stats.lost).toBeGreaterThan(0);
  });
  it('survives serial roll-over', () => {
    const roll = group(readFileSync(GL('testdata', 'rollover.log'), 'utf8'));
    expect(roll.events.length).toBe(5);
    expect(roll.events.map((e) => e[0]!.serial)).toContain(0);
    expect(roll.stats.lost).toBe(0);
  });
  it('keeps node= prefixed events of different hosts apart', () => {
    const { events } = group(
      [
        'node=a type=SYSCALL msg=audit(1.000:7): arch=c000003e syscall=59 success=yes exit=0 pid=1 comm="x"',
        'node=b type=SYSCALL msg=audit(1.000:7): arch=c000003e syscall=59 success=yes exit=0 pid=2 comm="y"',
        'node=a type=EOE msg=audit(1.000:7): ',
      ].join('\n'),
    );
    expect(events.map((e) => `${e[0]!.node}:${e.length}`).sort()).toEqual(['a:1', 'b:1']);
  });
  it('bounds the events held open', () => {
    const lines = Array.from(
      { length: 500 },
      (_, i) => `type=USER_CMD msg=audit(1.0:${i}): pid=${i} msg='cmd=6C73 res=success'`,
    );
    let open = 0;
    const r = new Reassembler(() => open++, { maxOpen: 16 });
    for (const l of lines) r.line(l);
    expect(open).toBe(500 - 16);
  });
});

describe('auditd decoding', () => {
  it('decodes a hex-encoded EXECVE argument without a SYSCALL record (beats execve-hex-arg.log)', () => {
    const text = readFileSync(
      corpusPath('runtime', 'beats', 'filebeat', 'module', 'auditd', 'log', 'test', 'execve-hex-arg.log'),
      'utf8',
    );
    const { events } = group(text);
    const e = normalise(events[0]!);
    expect(e?.kind).toBe('exec');
    expect(e?.process?.argv).toEqual(['sh', '-c', 'echo \\"arg hex encoded\\"']);
  });
  it('joins split arguments (a1_len, a1[0], a1[1])', () => {
    const r = parseRecord('type=EXECVE msg=audit(1.0:1): argc=2 a0="x" a1_len=6 a1[0]=616263 a1[1]="def"')!;
    expect(execveArgv(r)).toEqual(['x', 'abcdef']);
  });
  it('decodes SOCKADDR for IPv4, IPv6 and unix sockets', () => {
    expect(decodeSockaddr('02000050A9FEA9FE0000000000000000')).toEqual({
      family: 'ipv4',
      port: 80,
      addr: '169.254.169.254',
    });
    expect(decodeSockaddr('0A0001BB00000000000000000000000000000000000000010000000000')).toMatchObject({
      family: 'ipv6',
      port: 443,
      addr: '::1',
    });
    expect(decodeSockaddr('01002F7661722F72756E2F6E7363642F736F636B657400')).toEqual({
      family: 'unix',
      path: '/var/run/nscd/socket',
    });
  });
  it('reads the enriched format, with or without the 0x1D separator', () => {
    const a = parseRecord(
      'type=ANOM_ABEND msg=audit(1.0:1): auid=1000 pid=7 sig=11 res=1\x1dAUID="bui" UID="bui"',
    )!;
    const b = parseRecord(
      'type=ANOM_ABEND msg=audit(1.0:1): auid=1000 pid=7 sig=11 res=1AUID="bui" UID="bui"',
    )!;
    expect(a.fields).toEqual(b.fields);
    expect(b.enriched).toEqual({ AUID: 'bui', UID: 'bui' });
    expect(b.fields.find(([k]) => k === 'res')?.[1]).toBe('1');
  });
  it('uses PROCTITLE as argv when EXECVE is missing', () => {
    const { events } = group(
      [
        'type=SYSCALL msg=audit(1.0:5): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=9 auid=0 uid=0 euid=0 comm="ls" exe="/usr/bin/ls"',
        'type=PROCTITLE msg=audit(1.0:5): proctitle=6C73002D6C61',
      ].join('\n'),
    );
    expect(normalise(events[0]!)?.process?.argv).toEqual(['ls', '-la']);
  });
});

describe('auditd events against go-libaudit aucoalesce goldens', () => {
  const dir = GL('aucoalesce', 'testdata');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  it('has the eight coalesce cases files', () => expect(files.length).toBe(8));
  for (const f of files) {
    it(`${f}: sequence, process and destination of every coalesced event`, () => {
      const tests = (parse(readFileSync(`${dir}/${f}`, 'utf8')) as { tests: Record<string, string> }).tests;
      const golden = JSON.parse(readFileSync(`${dir}/${f.replace(/\.yaml$/, '.json.golden')}`, 'utf8')) as {
        test_name: string;
        event: {
          sequence: number;
          process?: Record<string, unknown>;
          destination?: { ip: string; port: string } | null;
        };
      }[];
      expect(golden.length).toBe(Object.keys(tests).length);
      let compared = 0;
      for (const g of golden) {
        const { events } = group(tests[g.test_name]!);
        const records = events.find((e) => e[0]!.serial === g.event.sequence);
        expect(records, g.test_name).toBeDefined();
        const e = normalise(records!)!;
        const p = g.event.process ?? {};
        const mine = e.process!;
        if (p.pid) expect(String(mine.pid), g.test_name).toBe(p.pid);
        if (p.ppid) expect(String(mine.ppid), g.test_name).toBe(p.ppid);
        if (p.exe) expect(mine.exe, g.test_name).toBe(p.exe);
        if (p.name) expect(mine.comm, g.test_name).toBe(p.name);
        if (p.cwd) expect(mine.cwd, g.test_name).toBe(p.cwd);
        if (p.args) expect(mine.argv, g.test_name).toEqual(p.args);
        if (g.event.destination)
          expect({ ip: e.socket?.addr, port: String(e.socket?.port) }, g.test_name).toEqual(
            g.event.destination,
          );
        compared += 1;
      }
      expect(compared).toBe(golden.length);
    });
  }
});
