import { describe, expect, it } from 'vitest';
import { loadObjects } from '../objects/load.js';
import { podSpecOf } from '../objects/pod-spec.js';
import { evaluatePss } from './evaluate.js';
import { parsePssVersion } from './version.js';

function pod(spec: string) {
  const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${spec}`;
  return podSpecOf(loadObjects([{ name: 'p', text }]).objects[0]!.object)!;
}

const restrictedOk = `  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n`;
const hardened = `{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}`;

describe('Pod Security Standards versions', () => {
  it('grows the safe sysctl set by version', () => {
    const p = pod(
      `  securityContext: {sysctls: [{name: net.ipv4.tcp_notsent_lowat, value: "1"}]}\n  containers: [{name: a, image: x}]\n`,
    );
    expect(evaluatePss(p, 'baseline', [1, 37]).allowed).toBe(true);
    expect(evaluatePss(p, 'baseline', [1, 36]).allowed).toBe(false);
  });

  it('allows container_engine_t from 1.31', () => {
    const p = pod(
      `  containers: [{name: a, image: x, securityContext: {seLinuxOptions: {type: container_engine_t}}}]\n`,
    );
    expect(evaluatePss(p, 'baseline', [1, 31]).allowed).toBe(true);
    expect(evaluatePss(p, 'baseline', [1, 30]).allowed).toBe(false);
  });

  it('relaxes procMount, runAsNonRoot and runAsUser for hostUsers: false from 1.35, but not procMount under restricted', () => {
    const p = pod(
      `  hostUsers: false\n  securityContext: {seccompProfile: {type: RuntimeDefault}, runAsUser: 0}\n  containers: [{name: a, image: x, securityContext: ${hardened}}]\n`,
    );
    expect(evaluatePss(p, 'restricted', [1, 35]).allowed).toBe(true);
    expect(
      evaluatePss(p, 'restricted', [1, 34])
        .violations.map((v) => v.check)
        .sort(),
    ).toEqual(['runAsNonRoot', 'runAsUser']);
    const unmasked = pod(
      `  hostUsers: false\n  containers: [{name: a, image: x, securityContext: {procMount: Unmasked}}]\n`,
    );
    expect(evaluatePss(unmasked, 'baseline', [1, 35]).allowed).toBe(true);
    expect(evaluatePss(unmasked, 'baseline', [1, 34]).allowed).toBe(false);
    expect(
      evaluatePss(unmasked, 'restricted', [1, 37]).violations.some((v) => v.check === 'procMount_restricted'),
    ).toBe(true);
  });

  it('exempts Windows pods from Linux-only restricted checks from 1.25', () => {
    const p = pod(
      `  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n  containers: [{name: a, image: x}]\n`,
    );
    expect(evaluatePss(p, 'restricted', [1, 25]).allowed).toBe(true);
    expect(evaluatePss(p, 'restricted', [1, 24]).allowed).toBe(false);
  });

  it('checks host probes only from 1.34 and covers init and ephemeral containers', () => {
    const p = pod(
      `  containers: [{name: a, image: x}]\n  ephemeralContainers: [{name: d, image: x, readinessProbe: {httpGet: {host: evil, port: 80}}}]\n`,
    );
    expect(evaluatePss(p, 'baseline', [1, 34]).violations[0]?.field).toBe(
      'spec.ephemeralContainers[0].readinessProbe.httpGet.host',
    );
    expect(evaluatePss(p, 'baseline', [1, 33]).allowed).toBe(true);
  });

  it('gives restricted verdicts that include baseline', () => {
    const p = pod(
      `${restrictedOk}  hostNetwork: true\n  containers: [{name: a, image: x, securityContext: ${hardened}}]\n`,
    );
    expect(evaluatePss(p, 'restricted').violations.map((v) => v.check)).toEqual(['hostNamespaces']);
  });

  it('parses --pss-version', () => {
    expect(parsePssVersion('latest')).toEqual([1, 37]);
    expect(parsePssVersion('v1.25')).toEqual([1, 25]);
    expect(parsePssVersion('1.99')).toEqual([1, 37]);
    expect(() => parsePssVersion('one')).toThrow(/pss-version/);
  });
});
