-- Data: the facts 0013 added to every hulpvraag, from its Status informatie (the migrator runs
-- 0013 and this in one transaction): registered_at, its earliest row of kind 'status';
-- first_closed_at, its earliest row of kind 'status' into a status its organisation marks
-- `closes` (as the list is now). Rows written since are kept by hulpvragen/status-facts.ts,
-- which recomputes an organisation with this same query when its list of statuses changes.
UPDATE "hulpvragen" h
SET "registered_at" = f."registered", "first_closed_at" = f."closed"
FROM (
  SELECT e."hulpvraag_id", min(e."changed_at") AS "registered", min(e."changed_at") FILTER (WHERE s."closes") AS "closed"
  FROM "hulpvraag_status_history" e
  JOIN "hulpvragen" x ON x."id" = e."hulpvraag_id"
  LEFT JOIN "hulpvraag_statuses" s ON s."organisation_id" = x."organisation_id" AND s."name" = e."to_status"
  WHERE e."kind" = 'status'
  GROUP BY e."hulpvraag_id"
) f
WHERE h."id" = f."hulpvraag_id";
