import type { CenterExceptionRow } from '../../store/center-exceptions.js';
import { fromJsonColumn } from '../../store/json-column.js';
import type { ExceptionSelector, ExceptionView } from '../types.js';

export function presentException(row: CenterExceptionRow, covers: number): ExceptionView {
  return {
    id: Number(row.id),
    targets: fromJsonColumn<string[]>(row.targets, []),
    selector: fromJsonColumn<ExceptionSelector>(row.selector, {}),
    reason: row.reason,
    ...(row.expires ? { expires: row.expires } : {}),
    requestedBy: row.requested_by,
    approvedBy: row.approved_by,
    status: row.status as ExceptionView['status'],
    covers,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
