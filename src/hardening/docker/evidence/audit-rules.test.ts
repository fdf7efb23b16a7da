import { describe, expect, it } from 'vitest';
import { parseAuditRules, rulesCovering } from './audit-rules.js';

const RULES = `## comment
-D
-b 8192
-w /usr/sbin/dockerd -p rwxa -k docker
-w /etc/docker/ -p wa -k docker
-a always,exit -F arch=b64 -S all -F path=/usr/bin/containerd -F perm=x -k docker
-a always,exit -F dir=/var/lib/docker -F perm=wa
`;

describe('audit rules', () => {
  it('reads watches and path/dir rules, ignoring comments and control lines', () => {
    const rules = parseAuditRules(RULES);
    expect(rules.map((r) => `${r.kind} ${r.path}`)).toEqual([
      'watch /usr/sbin/dockerd',
      'watch /etc/docker',
      'path /usr/bin/containerd',
      'dir /var/lib/docker',
    ]);
    expect(parseAuditRules('No rules\n')).toEqual([]);
  });

  it('covers a path by an exact rule or a watch/dir rule on a parent directory', () => {
    const rules = parseAuditRules(RULES);
    expect(rulesCovering(rules, '/usr/sbin/dockerd')).toHaveLength(1);
    expect(rulesCovering(rules, '/etc/docker/daemon.json')).toHaveLength(1);
    expect(rulesCovering(rules, '/var/lib/docker/containers')).toHaveLength(1);
    expect(rulesCovering(rules, '/usr/bin/containerd-shim')).toHaveLength(0);
    // the fixed path docker-bench-security greps for does not cover the binary Debian installs
    expect(rulesCovering(parseAuditRules('-w /usr/bin/dockerd -k docker'), '/usr/sbin/dockerd')).toHaveLength(
      0,
    );
  });
});
