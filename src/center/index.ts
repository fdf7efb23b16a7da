import type { AccessService } from './access/service.js';
import type { Principal } from './principal.js';
import type {
  AlertPatch,
  AlertQuery,
  AlertView,
  ComplianceStandard,
  ComplianceView,
  ControlResultQuery,
  ControlResultView,
  ExceptionInput,
  ExceptionView,
  FindingQuery,
  FindingView,
  IngestResult,
  JsonText,
  PackageUse,
  Page,
  PageQuery,
  RecommendationDetail,
  RecommendationQuery,
  RecommendationView,
  ReportView,
  ResourceDetail,
  ResourceQuery,
  ResourceView,
  ScoreView,
  Verdict,
} from './types.js';

/**
 * The center as api/ and the CLI see it: one object of services, each a use case. Writes take the principal (for
 * the audit log and an agent's scope); reads are filtered by what the route allowed. The only module api/ imports.
 */
export interface Center {
  reports: {
    /** File a CLI/agent document under its resources; the same document twice changes nothing. */
    ingest(principal: Principal, document: unknown): Promise<IngestResult>;
    get(id: number): Promise<ReportView>;
    /** The document as received, keys sorted at every level (its digest's text), as JSON text. */
    document(id: number): Promise<string>;
    list(query: PageQuery): Promise<Page<ReportView>>;
  };
  inventory: {
    list(query: ResourceQuery): Promise<Page<ResourceView>>;
    /** The same page, each item as JSON text the database wrote (the API's answer, spliced without parsing). */
    listJson(query: ResourceQuery): Promise<Page<JsonText>>;
    get(key: string): Promise<ResourceDetail>;
  };
  findings: {
    list(query: FindingQuery): Promise<Page<FindingView>>;
    listJson(query: FindingQuery): Promise<Page<JsonText>>;
  };
  controlResults: { list(query: ControlResultQuery): Promise<Page<ControlResultView>> };
  alerts: {
    list(query: AlertQuery): Promise<Page<AlertView>>;
    listJson(query: AlertQuery): Promise<Page<JsonText>>;
    update(principal: Principal, id: number, patch: AlertPatch): Promise<AlertView>;
  };
  recommendations: {
    list(query: RecommendationQuery): Promise<Page<RecommendationView>>;
    get(id: string): Promise<RecommendationDetail>;
  };
  score: {
    get(): Promise<ScoreView>;
    /** Record today's snapshot (idempotent for the day). */
    snapshot(): Promise<void>;
  };
  compliance: { get(standard: ComplianceStandard): Promise<ComplianceView> };
  exceptions: {
    list(query: PageQuery & { status?: string }): Promise<Page<ExceptionView>>;
    get(id: number): Promise<ExceptionView>;
    create(principal: Principal, input: ExceptionInput): Promise<ExceptionView>;
    update(principal: Principal, id: number, input: Partial<ExceptionInput>): Promise<ExceptionView>;
    approve(principal: Principal, id: number): Promise<ExceptionView>;
    revoke(principal: Principal, id: number): Promise<void>;
    /** Expire what is past its date and re-open what it covered; returns how many expired. */
    expire(): Promise<number>;
  };
  packages: {
    find(query: PageQuery & { name?: string; version?: string; purl?: string }): Promise<Page<PackageUse>>;
  };
  images: { verdict(digest: string, severity: string): Promise<Verdict> };
  /** Users, sessions, API tokens and the audit log (center/access/). */
  access: AccessService;
  /** Whether the store answers (`/readyz`). */
  health: { ready(): Promise<boolean> };
}

export type { AccessService } from './access/service.js';
export type * from './access/types.js';
export { CENTER_ERROR_CODES, CenterError, type CenterErrorCode } from './errors.js';
export type { Principal, Role } from './principal.js';
export { can, PERMISSIONS, type Permission, ROLES, SYSTEM } from './principal.js';
export type * from './types.js';
export {
  ALERT_STATES,
  COMPLIANCE_STANDARDS,
  ENGINES,
  FAMILIES,
  HEALTH_STATES,
  RESULT_STATES,
} from './types.js';
