-- Data: every existing organisation gets the four default statuses, then any other status its
-- hulpvragen already use (in order of first use), so the foreign key that follows holds.
INSERT INTO "hulpvraag_statuses" ("organisation_id", "name", "position", "closes")
SELECT o."id", d."name", d."position", d."closes"
FROM "organisations" o
CROSS JOIN (VALUES ('aanmelding', 1, false), ('in behandeling', 2, false), ('advies', 3, false), ('afgerond', 4, true)) AS d("name", "position", "closes")
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "hulpvraag_statuses" ("organisation_id", "name", "position", "closes")
SELECT u."organisation_id", u."status", 4 + row_number() OVER (PARTITION BY u."organisation_id" ORDER BY u."first_use", u."status"), false
FROM (
  SELECT h."organisation_id", h."status", min(h."created_at") AS "first_use"
  FROM "hulpvragen" h
  WHERE NOT EXISTS (SELECT 1 FROM "hulpvraag_statuses" s WHERE s."organisation_id" = h."organisation_id" AND s."name" = h."status")
  GROUP BY h."organisation_id", h."status"
) u
ON CONFLICT DO NOTHING;
