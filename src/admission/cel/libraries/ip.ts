import { library } from '../library.js';
import { IPAddress } from '../support/ip-address.js';

const IP = 'net.IP';
/** Holder of `ip.isCanonical(…)`: `ip` is both a function and a namespace in Kubernetes CEL. */
class IPNamespace {}

/** Kubernetes IP library: `ip('10.0.0.1').family() == 4`, `isIP('::1')`, `ip.isCanonical('::1')`. */
export const ipLibrary = library(
  'ip',
  'IP addresses (`ip`, `isIP`, `ip.isCanonical`, family and address-class tests)',
  {
    [`ip(string): ${IP}`]: (s: string) => IPAddress.parse(s),
    'isIP(string): bool': (s: string) => IPAddress.tryParse(s) !== undefined,
    'IPNamespace.isCanonical(string): bool': (_: IPNamespace, s: string) =>
      IPAddress.parse(s).toString() === s,
    [`string(${IP}): string`]: (ip: IPAddress) => ip.toString(),
    [`${IP}.family(): int`]: (ip: IPAddress) => BigInt(ip.family),
    [`${IP}.isUnspecified(): bool`]: (ip: IPAddress) => ip.isUnspecified(),
    [`${IP}.isLoopback(): bool`]: (ip: IPAddress) => ip.isLoopback(),
    [`${IP}.isLinkLocalMulticast(): bool`]: (ip: IPAddress) => ip.isLinkLocalMulticast(),
    [`${IP}.isLinkLocalUnicast(): bool`]: (ip: IPAddress) => ip.isLinkLocalUnicast(),
    [`${IP}.isGlobalUnicast(): bool`]: (ip: IPAddress) => ip.isGlobalUnicast(),
  },
  (env) => {
    env.registerType(IP, IPAddress);
    env.registerType('IPNamespace', IPNamespace);
    env.registerConstant('ip', 'IPNamespace', new IPNamespace());
    env.registerOperator(`${IP} == ${IP}`, (a: IPAddress, b: IPAddress) => a.equals(b));
  },
);
