-- Trigram matching for the staff's dossier search (`ILIKE '%term%'`): the GIN indexes on the names
-- come in the next migration (0016), generated from the schema. pg_trgm is a trusted extension on
-- PostgreSQL (the database owner may create it); PGlite loads it when it opens (db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
