import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserInputError } from '../core/errors.js';
import {
  envName,
  loadDetectionPriority,
  loadLicensePolicy,
  loadScanners,
  loadServeConfig,
  loadSeveritySources,
  retentionEnvName,
} from './config.js';

describe('serve configuration', () => {
  let home: string;
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('has defaults, reads config.yaml, and lets variables then flags override it', () => {
    home = mkdtempSync(join(tmpdir(), 'bulkhead-config-'));
    expect(loadServeConfig({ home, env: {} })).toEqual({
      host: '127.0.0.1',
      port: 8080,
      bodyLimit: 1024 * 1024,
      reportBodyLimit: 32 * 1024 * 1024,
      requireApproval: false,
      sessionTtl: 43200,
      loginRateLimit: 10,
    });
    writeFileSync(join(home, 'config.yaml'), 'port: 9000\nhost: 0.0.0.0\nrequireApproval: true\n');
    expect(loadServeConfig({ home, env: {} })).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      requireApproval: true,
    });
    const env = { BULKHEAD_PORT: '9100', BULKHEAD_REQUIRE_APPROVAL: 'false' };
    expect(loadServeConfig({ home, env })).toMatchObject({ port: 9100, requireApproval: false });
    expect(loadServeConfig({ home, env, flags: { port: '0' } }).port).toBe(0);
    expect(envName('reportBodyLimit')).toBe('BULKHEAD_REPORT_BODY_LIMIT');
    expect(envName('database')).toBe('BULKHEAD_DATABASE_URL');
  });

  it('names the key and where a bad value came from', () => {
    home = mkdtempSync(join(tmpdir(), 'bulkhead-config-'));
    const fail = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(UserInputError);
        return (error as UserInputError).message;
      }
      throw new Error('no error');
    };
    expect(fail(() => loadServeConfig({ home, env: { BULKHEAD_PORT: 'eighty' } }))).toMatch(
      /^BULKHEAD_PORT: /,
    );
    expect(fail(() => loadServeConfig({ home, env: {}, flags: { port: '70000' } }))).toMatch(/^--port: /);
    expect(fail(() => loadServeConfig({ home, env: {}, flags: { tlsCert: 'a.pem' } }))).toMatch(
      /^--tls-cert: .*tlsKey/,
    );
    writeFileSync(join(home, 'config.yaml'), 'bodyLimit: -1\n');
    expect(fail(() => loadServeConfig({ home, env: {} }))).toMatch(/config\.yaml: bodyLimit: /);
    writeFileSync(join(home, 'config.yaml'), 'prot: 80\n');
    expect(fail(() => loadServeConfig({ home, env: {} }))).toMatch(/config\.yaml: prot: unknown setting/);
    writeFileSync(join(home, 'config.yaml'), 'port: [\n');
    expect(fail(() => loadServeConfig({ home, env: {} }))).toMatch(/not valid YAML/);
  });

  it('reads the retention of stored scans: file, then BULKHEAD_RETENTION_*, then the flags of store prune', () => {
    home = mkdtempSync(join(tmpdir(), 'bulkhead-config-'));
    expect(loadServeConfig({ home, env: {} }).retention).toBeUndefined();
    writeFileSync(join(home, 'config.yaml'), 'retention:\n  olderThan: 30d\n');
    expect(loadServeConfig({ home, env: {} }).retention).toEqual({ olderThan: '30d', keepLast: 1 });
    const env = { BULKHEAD_RETENTION_KEEP_LAST: '3' };
    expect(loadServeConfig({ home, env }).retention).toEqual({ olderThan: '30d', keepLast: 3 });
    expect(
      loadServeConfig({ home, env, retentionFlags: { olderThan: '2w', keepLast: undefined } }).retention,
    ).toEqual({ olderThan: '2w', keepLast: 3 });
    expect(retentionEnvName('olderThan')).toBe('BULKHEAD_RETENTION_OLDER_THAN');
  });

  it('names a bad retention setting and where it came from', () => {
    home = mkdtempSync(join(tmpdir(), 'bulkhead-config-'));
    const fail = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as UserInputError).message;
      }
      throw new Error('no error');
    };
    writeFileSync(join(home, 'config.yaml'), 'retention: {olderThan: a month}\n');
    expect(fail(() => loadServeConfig({ home, env: {} }))).toMatch(
      /config\.yaml: retention\.olderThan: "a month" is not an age such as 30d, 12h or 2w$/,
    );
    writeFileSync(join(home, 'config.yaml'), 'retention: {olderThan: 30d, keepFirst: 2}\n');
    expect(fail(() => loadServeConfig({ home, env: {} }))).toMatch(
      /config\.yaml: retention\.keepFirst: unknown setting$/,
    );
    expect(fail(() => loadServeConfig({ home, env: {}, retentionFlags: { keepLast: '-1' } }))).toBe(
      '--keep-last: "-1" is not a whole number',
    );
    expect(fail(() => loadServeConfig({ home, env: { BULKHEAD_RETENTION_OLDER_THAN: '5y' } }))).toBe(
      'BULKHEAD_RETENTION_OLDER_THAN: "5y" is not an age such as 30d, 12h or 2w',
    );
  });

  it('reads the severity source order: file, then BULKHEAD_VULN_SEVERITY_SOURCE, then --vuln-severity-source', () => {
    home = mkdtempSync(join(tmpdir(), 'bulkhead-config-'));
    expect(loadSeveritySources({ home, env: {} })).toBeUndefined();
    // a serve setting the scan does not use does not stop it
    writeFileSync(join(home, 'config.yaml'), 'port: eighty\nvulnSeveritySource: ubuntu,nvd,ghsa\n');
    expect(loadSeveritySources({ home, env: {} })).toEqual(['ubuntu', 'nvd', 'ghsa']);
    const env = { BULKHEAD_VULN_SEVERITY_SOURCE: 'ghsa' };
    expect(loadSeveritySources({ home, env })).toEqual(['ghsa']);
    expect(loadSeveritySources({ home, env, flag: 'auto' })).toEqual(['auto']);
    const fail = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(UserInputError);
        return (error as UserInputError).message;
      }
      throw new Error('no error');
    };
    writeFileSync(join(home, 'config.yaml'), 'vulnSeveritySource: ubuntu,nvdd\n');
    expect(fail(() => loadSeveritySources({ home, env: {} }))).toMatch(
      /config\.yaml: vulnSeveritySource: "nvdd" is not a severity source \(alma, /,
    );
    // serve checks the key as one of its settings
    expect(fail(() => loadServeConfig({ home, env: {} }))).toMatch(
      /config\.yaml: vulnSeveritySource: "nvdd" is not a severity source/,
    );
    expect(fail(() => loadSeveritySources({ home, env: {}, flag: 'nvd,nvd' }))).toBe(
      '--vuln-severity-source: "nvd" is given twice',
    );
    writeFileSync(join(home, 'config.yaml'), 'vulnSeveritySource: [ghsa]\n');
    expect(fail(() => loadSeveritySources({ home, env: {} }))).toMatch(
      /config\.yaml: vulnSeveritySource: not a comma-separated list of sources$/,
    );
  });

  it('reads the detection priority: file, then BULKHEAD_DETECTION_PRIORITY, then --detection-priority', () => {
    home = mkdtempSync(join(tmpdir(), 'bulkhead-config-'));
    expect(loadDetectionPriority({ home, env: {} })).toBeUndefined();
    writeFileSync(join(home, 'config.yaml'), 'port: eighty\ndetectionPriority: comprehensive\n');
    expect(loadDetectionPriority({ home, env: {} })).toBe('comprehensive');
    const env = { BULKHEAD_DETECTION_PRIORITY: 'precise' };
    expect(loadDetectionPriority({ home, env })).toBe('precise');
    expect(loadDetectionPriority({ home, env, flag: 'comprehensive' })).toBe('comprehensive');
    expect(() => loadDetectionPriority({ home, env: {}, flag: 'thorough' })).toThrow(
      '--detection-priority: "thorough" is not one of precise, comprehensive',
    );
    writeFileSync(join(home, 'config.yaml'), 'detectionPriority: all\n');
    expect(() => loadDetectionPriority({ home, env: {} })).toThrow(
      /config\.yaml: detectionPriority: "all" is not one of precise, comprehensive$/,
    );
    // serve checks the key as one of its settings
    expect(() => loadServeConfig({ home, env: {} })).toThrow(/detectionPriority/);
  });

  it('reads the scanners (file, then BULKHEAD_SCANNERS, then --scanners) and the licence policy', () => {
    home = mkdtempSync(join(tmpdir(), 'bulkhead-config-'));
    expect(loadScanners({ home, env: {} })).toEqual(['vuln']);
    expect(loadLicensePolicy({ home })).toEqual({ allowed: [], review: [], denied: [] });
    writeFileSync(
      join(home, 'config.yaml'),
      'scanners: [license, vuln]\nlicensePolicy:\n  denied: [forbidden, AGPL-3.0-only]\n',
    );
    expect(loadScanners({ home, env: {} })).toEqual(['vuln', 'license']);
    expect(loadScanners({ home, env: { BULKHEAD_SCANNERS: 'secret' } })).toEqual(['secret']);
    expect(loadScanners({ home, env: { BULKHEAD_SCANNERS: 'secret' }, flag: 'vuln,secret' })).toEqual([
      'vuln',
      'secret',
    ]);
    expect(loadLicensePolicy({ home }).denied).toEqual(['forbidden', 'AGPL-3.0-only']);
    // serve accepts the scan's keys as settings of the file
    expect(loadServeConfig({ home, env: {} }).scanners).toEqual(['vuln', 'license']);
    expect(() => loadScanners({ home, env: {}, flag: 'vuln,sbom' })).toThrow(
      new UserInputError('--scanners', '"sbom" is not one of vuln, secret, license'),
    );
    writeFileSync(join(home, 'config.yaml'), 'licensePolicy:\n  banned: [MIT]\n');
    expect(() => loadLicensePolicy({ home })).toThrow(/config\.yaml: licensePolicy: .*banned/);
  });
});
