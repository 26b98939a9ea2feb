// One stored report by its id (`npm run monitor:reports -- --show <id>`); getReports in
// reports.ts lists them by period.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { reportKinds } from '../../db/tables/reports.ts';

const storedRow = z.object({
  reportId: z.string(),
  kind: z.enum(reportKinds),
  createdAt: z.date(),
  periodStart: z.date(),
  periodEnd: z.date(),
  body: z.unknown(),
});
export type StoredReportBody = z.infer<typeof storedRow>;

export async function getReportById(db: CommonQueryMethods, reportId: string): Promise<StoredReportBody | null> {
  return db.maybeOne(sql.type(storedRow)`
    SELECT report_id AS "reportId", kind, created_at AS "createdAt", period_start AS "periodStart", period_end AS "periodEnd", body
    FROM monitoring_reports WHERE report_id = ${reportId}`);
}
