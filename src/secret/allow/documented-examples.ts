import type { AllowRule } from '../types.js';

/**
 * Credentials vendors publish in their documentation as examples (AWS, Stripe) or as the well-known key of a local
 * emulator (Azurite's storage account key): never secret, found in countless files.
 */
export const documentedExamples = {
  id: 'documented-examples',
  description: "vendors' documented example credentials (AWS, Stripe, Azurite)",
  secret: String.raw`\A(?:AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY|sk_test_4eC39HqLyjWDarjtT1zdp7dc|Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==)\z`,
} as const satisfies AllowRule;
