/** Audit rules as `auditctl -l` prints them or as rules files hold them, reduced to what they watch. */
export interface AuditRule {
  /** `watch` covers the path and everything under it; `path` the file only; `dir` a directory tree. */
  kind: 'watch' | 'path' | 'dir';
  path: string;
  /** The rule line as read. */
  text: string;
}

/**
 * Parse rule lines (`-w /usr/bin/dockerd -p rwxa -k docker`, `-a always,exit -F path=/x -F perm=wa`).
 * Comments, control lines (`-D`, `-b 8192`) and "No rules" are ignored.
 */
export function parseAuditRules(text: string): AuditRule[] {
  const rules: AuditRule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w === '-w' && words[i + 1])
        rules.push({ kind: 'watch', path: trimSlash(words[i + 1]!), text: line });
      if (w === '-F' && words[i + 1]) {
        const m = /^(path|dir)=(.+)$/.exec(words[i + 1]!);
        if (m) rules.push({ kind: m[1] as 'path' | 'dir', path: trimSlash(m[2]!), text: line });
      }
    }
  }
  return rules;
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** The rules that audit `target` (a file, directory or socket path). */
export function rulesCovering(rules: readonly AuditRule[], target: string): AuditRule[] {
  const t = trimSlash(target);
  return rules.filter((r) => {
    if (r.kind === 'path') return r.path === t;
    return r.path === t || t.startsWith(r.path === '/' ? '/' : `${r.path}/`);
  });
}
