-- The open-data portal: publishers (dependencias that publish data), their datasets and
-- resources, each resource's versions with the schema they were checked against and the
-- findings of that check, and the datastore tables of published versions.

CREATE TABLE publishers (
    id INTEGER PRIMARY KEY,
    -- The administrative unit that publishes; data publishers act for the units they belong to.
    unit_id INTEGER NOT NULL UNIQUE REFERENCES units (id),
    slug TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    publisher_id INTEGER NOT NULL REFERENCES publishers (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- One keyword a line.
    keywords TEXT NOT NULL DEFAULT '',
    theme TEXT NOT NULL,
    license TEXT NOT NULL DEFAULT 'CC-BY-4.0',
    frequency TEXT NOT NULL,
    temporal_start TEXT,
    temporal_end TEXT,
    spatial TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    -- For the datasets the platform publishes from its own records: which records.
    generated_from TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    published_at INTEGER
);
CREATE INDEX datasets_publisher ON datasets (publisher_id);

CREATE TABLE resources (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL CHECK (format IN ('csv', 'xlsx', 'json')),
    position INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (dataset_id, name)
);

CREATE TABLE resource_versions (
    id INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL REFERENCES resources (id),
    number INTEGER NOT NULL CHECK (number > 0),
    status TEXT NOT NULL CHECK (status IN
        ('draft', 'validating', 'findings', 'valid', 'approved', 'published', 'superseded')),
    -- The file, kept on disk under its SHA-256.
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    -- The Table Schema the file was (or will be) checked against, as JSON.
    schema_json TEXT NOT NULL,
    rows_count INTEGER,
    findings_count INTEGER,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    uploaded_at INTEGER NOT NULL,
    validated_at INTEGER,
    approved_by INTEGER REFERENCES users (id),
    approved_at INTEGER,
    published_at INTEGER,
    superseded_at INTEGER,
    UNIQUE (resource_id, number)
);
-- At most one published version a resource.
CREATE UNIQUE INDEX resource_versions_published ON resource_versions (resource_id)
    WHERE status = 'published';

-- A version's findings grouped by code and column, with the first examples.
CREATE TABLE version_findings (
    version_id INTEGER NOT NULL REFERENCES resource_versions (id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    field_number INTEGER,
    field_name TEXT,
    count INTEGER NOT NULL CHECK (count > 0),
    -- The first findings of the group as JSON: row, field, cell, note.
    examples TEXT NOT NULL,
    PRIMARY KEY (version_id, position)
);

-- A published version's rows, loaded into a table of their own named here.
CREATE TABLE datastore_tables (
    version_id INTEGER PRIMARY KEY REFERENCES resource_versions (id),
    table_name TEXT NOT NULL UNIQUE,
    -- The columns as JSON: name, Table Schema type, CKAN type, column in the table.
    fields TEXT NOT NULL,
    rows_count INTEGER NOT NULL,
    loaded_at INTEGER NOT NULL
);
