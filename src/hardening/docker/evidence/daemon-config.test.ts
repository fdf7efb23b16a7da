import { describe, expect, it } from 'vitest';
import { servesDataRoot } from './daemon.js';
import { boolValue, effectiveConfig, listValue, parseDockerdArgs } from './daemon-config.js';

describe('parseDockerdArgs', () => {
  it('reads --config-file given as one word or as two', () => {
    expect(parseDockerdArgs(['--config-file=/srv/d.json']).configFile).toBe('/srv/d.json');
    expect(parseDockerdArgs(['--config-file', '/srv/d.json', '--debug']).configFile).toBe('/srv/d.json');
  });

  it('maps flags onto daemon.json keys: short names, repeated flags, booleans with and without values', () => {
    const { flags } = parseDockerdArgs([
      '-H',
      'fd://',
      '--host=tcp://0.0.0.0:2376',
      '-D',
      '--icc=false',
      '--iptables',
      'false-looking-positional',
      '--insecure-registry',
      'r.example:5000',
      '--log-level',
      'warn',
      '--default-ulimit',
      'nofile=1024:2048',
      '-g',
      '/data/docker',
    ]);
    expect(flags.hosts).toEqual(['fd://', 'tcp://0.0.0.0:2376']);
    expect(flags.debug).toBe(true);
    expect(flags.icc).toBe(false);
    // a boolean flag never swallows the next word
    expect(flags.iptables).toBe(true);
    expect(flags['insecure-registries']).toEqual(['r.example:5000']);
    expect(flags['log-level']).toBe('warn');
    expect(flags['default-ulimits']).toEqual(['nofile=1024:2048']);
    expect(flags['data-root']).toBe('/data/docker');
  });
});

describe('effectiveConfig', () => {
  it('puts the command line over daemon.json over the defaults and records where each key came from', () => {
    const { values, origin } = effectiveConfig(
      { iptables: false },
      { iptables: true, icc: false, hosts: ['unix:///x.sock'] },
    );
    expect(values.iptables).toBe(false);
    expect(origin.iptables).toBe('flag');
    expect(values.icc).toBe(false);
    expect(origin.icc).toBe('file');
    expect(values['userland-proxy']).toBe(true);
    expect(origin['userland-proxy']).toBe('default');
    expect(listValue(values, 'hosts')).toEqual(['unix:///x.sock']);
  });

  it('lets --debug force the debug log level', () => {
    const { values } = effectiveConfig({ debug: true }, { 'log-level': 'info' });
    expect(values['log-level']).toBe('debug');
    expect(boolValue({ x: 'false' }, 'x')).toBe(false);
  });
});

describe('servesDataRoot', () => {
  it('matches the data root, also with user namespace remapping, and nothing else', () => {
    expect(servesDataRoot('/var/lib/docker', '/var/lib/docker')).toBe(true);
    expect(servesDataRoot('/var/lib/docker/', '/var/lib/docker/100000.100000')).toBe(true);
    expect(servesDataRoot('/var/lib/docker', '/var/lib/docker-other')).toBe(false);
    expect(servesDataRoot('/var/lib/docker', '/var/lib/docker/volumes')).toBe(false);
  });
});
