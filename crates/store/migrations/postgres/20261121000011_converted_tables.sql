-- An XLSX or JSON upload is kept as uploaded (`sha256`, what the original download serves)
-- and turned into CSV, which is what is checked and loaded: its SHA-256 is kept here. NULL
-- for a CSV upload, which is checked as it is.
ALTER TABLE resource_versions ADD COLUMN table_sha256 TEXT;
