import { createAccessService } from './access/service.js';
import { createAlertTriage } from './alerts/triage.js';
import { createComplianceService } from './compliance/service.js';
import type { CenterDeps } from './deps.js';
import { createExceptionService } from './exceptions/index.js';
import { createHealthService } from './health.js';
import type { Center } from './index.js';
import { createInventoryQueries } from './inventory/service.js';
import { createImageVerdicts, createPackageQueries } from './packages/service.js';
import { createRecommendationService } from './recommendations/service.js';
import { createReportService } from './reports/index.js';
import { createAlertQueries, createControlResultQueries, createFindingQueries } from './results/service.js';
import { createScoreService } from './score/service.js';

export interface CenterOptions {
  /** How long a dashboard login lasts, ms. */
  sessionTtlMs?: number;
  /** Exceptions need an approver other than the requester (config `requireApproval`). */
  requireApproval?: boolean;
}

/** The center's services over one store and clock: the write side, the read side and access. */
export function createCenter(deps: CenterDeps, options: CenterOptions = {}): Center {
  return {
    reports: createReportService(deps),
    inventory: createInventoryQueries(deps),
    findings: createFindingQueries(deps),
    controlResults: createControlResultQueries(deps),
    alerts: { ...createAlertQueries(deps), ...createAlertTriage(deps) },
    recommendations: createRecommendationService(deps),
    score: createScoreService(deps),
    compliance: createComplianceService(deps),
    exceptions: createExceptionService(deps, { requireApproval: options.requireApproval === true }),
    packages: createPackageQueries(deps),
    images: createImageVerdicts(deps),
    access: createAccessService(deps, options),
    health: createHealthService(deps),
  };
}
