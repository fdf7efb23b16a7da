import { library } from '../library.js';
import { CIDRPrefix, IPAddress } from '../support/ip-address.js';

const CIDR = 'net.CIDR';

/** Kubernetes CIDR library: `cidr('10.0.0.0/8').containsIP(ip('10.1.2.3'))`. */
export const cidrLibrary = library(
  'cidr',
  'CIDR prefixes (`cidr`, `isCIDR`, containment, prefix length, masking)',
  {
    [`cidr(string): ${CIDR}`]: (s: string) => CIDRPrefix.parse(s),
    'isCIDR(string): bool': (s: string) => CIDRPrefix.tryParse(s) !== undefined,
    [`string(${CIDR}): string`]: (c: CIDRPrefix) => c.toString(),
    [`${CIDR}.containsIP(net.IP): bool`]: (c: CIDRPrefix, ip: IPAddress) => c.containsIP(ip),
    [`${CIDR}.containsIP(string): bool`]: (c: CIDRPrefix, s: string) => c.containsIP(IPAddress.parse(s)),
    [`${CIDR}.containsCIDR(${CIDR}): bool`]: (c: CIDRPrefix, o: CIDRPrefix) => c.containsCIDR(o),
    [`${CIDR}.containsCIDR(string): bool`]: (c: CIDRPrefix, s: string) => c.containsCIDR(CIDRPrefix.parse(s)),
    [`${CIDR}.ip(): net.IP`]: (c: CIDRPrefix) => c.ip,
    [`${CIDR}.masked(): ${CIDR}`]: (c: CIDRPrefix) => c.masked(),
    [`${CIDR}.prefixLength(): int`]: (c: CIDRPrefix) => BigInt(c.bits),
  },
  (env) => {
    env.registerType(CIDR, CIDRPrefix);
    env.registerOperator(`${CIDR} == ${CIDR}`, (a: CIDRPrefix, b: CIDRPrefix) => a.equals(b));
  },
);
