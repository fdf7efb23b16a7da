import { describe, expect, it } from 'vitest';
import { parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  it('compares quantities numerically', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('0.5')).toBe(0.5);
    expect(parseQuantity('1Gi')).toBe(parseQuantity('1024Mi'));
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity('12 apples')).toBeUndefined();
  });
});
