import { sql } from 'drizzle-orm';
import type { Filters } from '../src/features/kengetallen/service.ts';

/**
 * The median doorlooptijd as Kengetallen computed it before `first_closed_at` (commit a355af8):
 * both instants derived per hulpvraag from its Status informatie. Kept verbatim as the reference
 * that the stored facts must equal (`doorlooptijd.test.ts`) and as the bench's "before"
 * (`bench/kengetallen.bench.ts`).
 */
export const doorlooptijdFromHistory = (f: Filters) => sql`
  with closing as (select s.name from hulpvraag_statuses s where s.organisation_id = ${f.organisationId} and s.closes)
  select count(*)::int as count,
    round((percentile_cont(0.5) within group (order by extract(epoch from c.changed_at - st.started_at) / 86400.0))::numeric, 1)::float8 as median
  from hulpvraag_status_history c
  join hulpvragen h on h.id = c.hulpvraag_id
  cross join lateral (select min(s.changed_at) as started_at from hulpvraag_status_history s where s.hulpvraag_id = c.hulpvraag_id and s.kind = 'status') st
  where c.kind = 'status' and c.to_status in (select name from closing)
    and c.changed_at >= (${f.fromDate}::timestamp at time zone 'Europe/Amsterdam') and c.changed_at < (${f.endDate}::timestamp at time zone 'Europe/Amsterdam')
    and h.organisation_id = ${f.organisationId}${f.school ? sql` and h.dossier_id in (select d.id from dossiers d where d.school_id = ${f.school.id})` : sql``}
    and c.seq = (
      select e.seq from hulpvraag_status_history e
      where e.hulpvraag_id = c.hulpvraag_id and e.kind = 'status' and e.to_status in (select name from closing)
      order by e.changed_at, e.seq limit 1)`;
