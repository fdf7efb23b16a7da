import { boolValue } from '../evidence/daemon-config.js';
import type { Control, DaemonEvidence, Evidence, Outcome } from '../types.js';
import { daemonResource, define, withDaemon } from './helpers.js';

/** Shared facts and builders of the section-2 (daemon configuration) controls. */
export const SECTION = '2';

export function setting(d: DaemonEvidence, key: string) {
  return { key, value: d.config.values[key] ?? null, from: d.config.origin[key] ?? 'default' };
}

export function verdict(
  e: Evidence,
  failing: boolean,
  failMessage: string,
  passMessage: string,
  evidence: unknown,
): Outcome {
  return failing
    ? { status: 'fail', message: failMessage, resources: [daemonResource(e)], evidence }
    : { status: 'pass', message: passMessage, evidence };
}

export function flag(
  e: Evidence,
  key: string,
  want: boolean,
  failMessage: string,
  passMessage: string,
): Outcome {
  return withDaemon(e, (d) =>
    verdict(e, boolValue(d.config.values, key) !== want, failMessage, passMessage, setting(d, key)),
  );
}

export function defaultBridge(e: Evidence) {
  return (
    e.networks.find((n) => n.Options['com.docker.network.bridge.default_bridge'] === 'true') ??
    e.networks.find((n) => n.Name === 'bridge' && n.Driver === 'bridge')
  );
}

export function securityOption(e: Evidence, name: string): string | undefined {
  return e.info.SecurityOptions.find((o) => o.split(',').includes(`name=${name}`));
}

export const LOCAL_LOG_DRIVERS = new Set(['json-file', 'local', 'none', '']);
export const LOOPBACK_CIDRS = new Set(['127.0.0.0/8', '::1/128']);

export function ctl(c: Omit<Control, 'section' | 'version'>): Control {
  return define({ ...c, section: SECTION });
}
