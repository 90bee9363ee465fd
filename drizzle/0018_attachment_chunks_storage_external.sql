-- Attachment bytes are mostly compressed already (PDF, JPEG, PNG, DOCX/XLSX/ODT are ZIPs): stored
-- out of line without a compression attempt. Saves PostgreSQL's pglz pass on every upload, and lets
-- substring() read only the TOAST pieces a download asks for (download.ts). Existing rows keep
-- how they were stored; the setting applies to rows written from now on.
ALTER TABLE "attachment_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL;
