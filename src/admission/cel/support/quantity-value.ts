import { EvaluationError } from '@marcbachmann/cel-js';

const BINARY: Record<string, bigint> = {
  Ki: 1024n,
  Mi: 1024n ** 2n,
  Gi: 1024n ** 3n,
  Ti: 1024n ** 4n,
  Pi: 1024n ** 5n,
  Ei: 1024n ** 6n,
};
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;
const MAX_EXPONENT = 300;
const NANO = 9;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/**
 * A Kubernetes resource quantity, exact: value = `num` / 10^`scale`. Values finer than 1n are rounded up to 1n,
 * as the API server does.
 * @example Quantity.parse('1.5Gi').compareTo(Quantity.parse('1536Mi')) // 0
 */
export class Quantity {
  private constructor(
    readonly num: bigint,
    readonly scale: number,
  ) {}

  static parse(text: string): Quantity {
    const m = PATTERN.exec(text.trim() === text ? text : '');
    if (!m) throw new EvaluationError(`quantities must match the regular expression '${PATTERN.source}'`);
    const [, sign, digits, exponent, suffix = ''] = m;
    const [whole, frac = ''] = digits!.split('.');
    let num = BigInt(`${whole || '0'}${frac}`) * (sign === '-' ? -1n : 1n);
    let scale = frac.length;
    if (BINARY[suffix] !== undefined) num *= BINARY[suffix]!;
    const exp = exponent !== undefined ? Number(exponent) : (DECIMAL[suffix] ?? 0);
    if (Math.abs(exp) > MAX_EXPONENT) throw new EvaluationError(`quantity exponent out of range: ${text}`);
    scale -= exp;
    return Quantity.of(num, scale);
  }

  static of(num: bigint, scale: number): Quantity {
    let n = num;
    let s = scale;
    if (s < 0) {
      n *= pow10(-s);
      s = 0;
    }
    if (s > NANO) {
      const d = pow10(s - NANO);
      const q = n / d;
      n = n % d === 0n ? q : q + (n > 0n ? 1n : -1n);
      s = NANO;
    }
    while (s > 0 && n % 10n === 0n) {
      n /= 10n;
      s--;
    }
    return new Quantity(n, s);
  }

  static fromInt(i: bigint): Quantity {
    return Quantity.of(i, 0);
  }

  private aligned(other: Quantity): [bigint, bigint, number] {
    const s = Math.max(this.scale, other.scale);
    return [this.num * pow10(s - this.scale), other.num * pow10(s - other.scale), s];
  }

  compareTo(other: Quantity): number {
    const [a, b] = this.aligned(other);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(other: unknown): boolean {
    return other instanceof Quantity && this.compareTo(other) === 0;
  }

  add(other: Quantity): Quantity {
    const [a, b, s] = this.aligned(other);
    return Quantity.of(a + b, s);
  }

  sub(other: Quantity): Quantity {
    const [a, b, s] = this.aligned(other);
    return Quantity.of(a - b, s);
  }

  sign(): bigint {
    return this.num > 0n ? 1n : this.num < 0n ? -1n : 0n;
  }

  isInteger(): boolean {
    return this.scale === 0 && this.num >= INT64_MIN && this.num <= INT64_MAX;
  }

  asInteger(): bigint {
    if (!this.isInteger()) throw new EvaluationError('cannot convert value to integer');
    return this.num;
  }

  asApproximateFloat(): number {
    return Number(this.num) / 10 ** this.scale;
  }
}
