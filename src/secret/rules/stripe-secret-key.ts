import type { SecretRule } from '../types.js';

/** A Stripe secret or restricted API key (live or test mode); publishable keys (`pk_`) are public by design. */
export const stripeSecretKey = {
  id: 'stripe-secret-key',
  title: 'Stripe secret key',
  severity: 'CRITICAL',
  keywords: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
  pattern: String.raw`(?:\A|[^0-9A-Za-z_])(?P<secret>[sr]k_(?:live|test)_[0-9A-Za-z]{24,247})(?:[^0-9A-Za-z_]|\z)`,
} as const satisfies SecretRule;
