import { EvaluationError } from '@marcbachmann/cel-js';

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(s: string): number[] | undefined {
  const m = V4.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map((p) => (p.length > 1 && p.startsWith('0') ? Number.NaN : Number(p)));
  return parts.every((p) => p >= 0 && p <= 255) ? parts : undefined;
}

function parseV6(s: string): number[] | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return undefined;
  let text = s;
  if (s.includes('.')) {
    const lastColon = s.lastIndexOf(':');
    const v4 = parseV4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    const w = (a: number, b: number) => ((a << 8) | b).toString(16);
    text = `${s.slice(0, lastColon + 1)}${w(v4[0]!, v4[1]!)}:${w(v4[2]!, v4[3]!)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

function hex(bytes: readonly number[]): string {
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const fmt = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (best < 0) return fmt(words);
  return `${fmt(words.slice(0, best))}::${fmt(words.slice(best + bestLen))}`;
}

/**
 * An IPv4 or IPv6 address as the Kubernetes `ip` library accepts it: no zones, no IPv4-mapped IPv6,
 * no leading zeros in IPv4 octets.
 * @example IPAddress.parse('2001:db8::0:1').toString() // '2001:db8::1'
 */
export class IPAddress {
  private constructor(readonly bytes: readonly number[]) {}

  static tryParse(s: string): IPAddress | undefined {
    const v4 = parseV4(s);
    if (v4) return new IPAddress(v4);
    if (!s.includes(':')) return undefined;
    const v6 = parseV6(s);
    if (!v6) return undefined;
    const ip = new IPAddress(v6);
    return ip.isMapped() ? undefined : ip;
  }

  static parse(s: string): IPAddress {
    const ip = IPAddress.tryParse(s);
    if (!ip) throw new EvaluationError(`IP Address '${s}' parse error during conversion from string`);
    return ip;
  }

  static fromBytes(bytes: readonly number[]): IPAddress {
    return new IPAddress(bytes);
  }

  private isMapped(): boolean {
    return (
      this.bytes.length === 16 &&
      this.bytes.slice(0, 10).every((b) => b === 0) &&
      this.bytes[10] === 0xff &&
      this.bytes[11] === 0xff
    );
  }

  get family(): 4 | 6 {
    return this.bytes.length === 4 ? 4 : 6;
  }

  isUnspecified(): boolean {
    return this.bytes.every((b) => b === 0);
  }

  isLoopback(): boolean {
    return this.family === 4
      ? this.bytes[0] === 127
      : this.bytes.slice(0, 15).every((b) => b === 0) && this.bytes[15] === 1;
  }

  isLinkLocalMulticast(): boolean {
    const b = this.bytes;
    return this.family === 4
      ? b[0] === 224 && b[1] === 0 && b[2] === 0
      : b[0] === 0xff && (b[1]! & 0x0f) === 0x02;
  }

  isLinkLocalUnicast(): boolean {
    const b = this.bytes;
    return this.family === 4 ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && (b[1]! & 0xc0) === 0x80;
  }

  private isMulticast(): boolean {
    return this.family === 4 ? (this.bytes[0]! & 0xf0) === 0xe0 : this.bytes[0] === 0xff;
  }

  isGlobalUnicast(): boolean {
    if (this.family === 4 && this.bytes.every((b) => b === 255)) return false;
    return !(this.isUnspecified() || this.isLoopback() || this.isMulticast() || this.isLinkLocalUnicast());
  }

  /** The address with all bits after the first `bits` cleared. */
  masked(bits: number): IPAddress {
    return new IPAddress(
      this.bytes.map((b, i) => {
        const keep = Math.max(0, Math.min(8, bits - 8 * i));
        return b & ((0xff << (8 - keep)) & 0xff);
      }),
    );
  }

  equals(other: unknown): boolean {
    return other instanceof IPAddress && other.toString() === this.toString();
  }

  toString(): string {
    return this.family === 4 ? this.bytes.join('.') : hex(this.bytes);
  }
}

/**
 * A CIDR prefix: the address as written and its length.
 * @example CIDRPrefix.parse('10.0.0.1/8').masked().toString() // '10.0.0.0/8'
 */
export class CIDRPrefix {
  private constructor(
    readonly ip: IPAddress,
    readonly bits: number,
  ) {}

  static tryParse(s: string): CIDRPrefix | undefined {
    const slash = s.lastIndexOf('/');
    if (slash < 0) return undefined;
    const ip = IPAddress.tryParse(s.slice(0, slash));
    const len = s.slice(slash + 1);
    if (!ip || !/^(0|[1-9]\d{0,2})$/.test(len)) return undefined;
    const bits = Number(len);
    return bits <= (ip.family === 4 ? 32 : 128) ? new CIDRPrefix(ip, bits) : undefined;
  }

  static parse(s: string): CIDRPrefix {
    const c = CIDRPrefix.tryParse(s);
    if (!c) throw new EvaluationError(`network address parse error during conversion from string: ${s}`);
    return c;
  }

  containsIP(ip: IPAddress): boolean {
    return ip.family === this.ip.family && ip.masked(this.bits).equals(this.ip.masked(this.bits));
  }

  containsCIDR(other: CIDRPrefix): boolean {
    return other.bits >= this.bits && this.containsIP(other.ip);
  }

  masked(): CIDRPrefix {
    return new CIDRPrefix(this.ip.masked(this.bits), this.bits);
  }

  equals(other: unknown): boolean {
    return other instanceof CIDRPrefix && other.bits === this.bits && other.ip.equals(this.ip);
  }

  toString(): string {
    return `${this.ip.toString()}/${this.bits}`;
  }
}
