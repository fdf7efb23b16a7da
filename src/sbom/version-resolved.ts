/**
 * Whether a package's version names one release or a set of them. A manifest may pin a wildcard or a range
 * (`requests==2.8.*`, `^1.2.0`, `[1.0,2.0)`, `>=3.2`, `1.x`): the package is listed, but its version is kept as
 * written, marked unresolved and never matched as if it were that exact release. No distribution's version
 * scheme uses these characters where they are taken here (a `~` inside a Debian or RPM version is a pre-release
 * and a `^` inside an RPM version a snapshot, so only a leading one is a range).
 */
export function isUnresolvedVersion(version: string): boolean {
  const v = version.trim();
  if (v === '') return true;
  if (/[*<>|!=\s,]/.test(v)) return true;
  if (/^[~^[(]/.test(v)) return true;
  return /(^|\.)[xX](\.|$)/.test(v);
}
