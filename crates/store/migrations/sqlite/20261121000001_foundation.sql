-- Foundation: the municipality, its units, accounts, sessions, login throttling, the audit
-- log, and the secretariat's bodies, people and memberships.
-- Times are Unix seconds (UTC); calendar dates are ISO text (YYYY-MM-DD).

CREATE TABLE municipality (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    official_name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    primary_colour TEXT NOT NULL,
    accent_colour TEXT NOT NULL
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    honorific TEXT NOT NULL DEFAULT '',
    full_name TEXT NOT NULL,
    gender TEXT NOT NULL CHECK (gender IN ('feminine', 'masculine'))
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'secretariat_staff', 'member', 'reporting_unit', 'data_publisher')),
    password_hash TEXT NOT NULL,
    person_id INTEGER REFERENCES people (id),
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
);

CREATE TABLE user_units (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (user_id, unit_id)
);

CREATE TABLE login_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX login_sessions_expires_at ON login_sessions (expires_at);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL CHECK (scope IN ('account', 'ip')),
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_lookup ON login_failures (scope, key, at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    ip TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE bodies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    short_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('secretariat', 'selection_committee', 'youth_council')),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    CHECK (period_start <= period_end)
);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL CHECK (kind IN ('citizen', 'public_servant')),
    cargo TEXT NOT NULL DEFAULT '',
    special_role TEXT CHECK (special_role IN ('presidency', 'presidency_representative', 'facilitator')),
    substitute_for INTEGER REFERENCES memberships (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    grounds TEXT NOT NULL DEFAULT '',
    CHECK (ends_on IS NULL OR starts_on <= ends_on)
);
CREATE INDEX memberships_body ON memberships (body_id);
