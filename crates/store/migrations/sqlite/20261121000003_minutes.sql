-- The acta's versions and signatures, the hoja de firmas of historical actas, annexes and
-- convocation notices.

-- Versions of a session's acta. Version 1 is the first; a correction adds the next. The text
-- is frozen (as the acta's JSON blocks) when a later session approves it.
CREATE TABLE minutes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    version INTEGER NOT NULL CHECK (version > 0),
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'signed', 'published')),
    blocks TEXT NOT NULL DEFAULT '',
    text_sha256 TEXT NOT NULL DEFAULT '',
    approved_by_item_id INTEGER REFERENCES agenda_items (id),
    published_at INTEGER,
    CONSTRAINT minutes_version_key UNIQUE (session_id, version)
);

CREATE TABLE minutes_signatures (
    minutes_id INTEGER NOT NULL REFERENCES minutes (id) ON DELETE CASCADE,
    membership_id INTEGER NOT NULL REFERENCES memberships (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    signed_at INTEGER NOT NULL,
    text_sha256 TEXT NOT NULL,
    CONSTRAINT minutes_signatures_membership_id_key UNIQUE (minutes_id, membership_id)
);

-- The hoja de firmas of an acta signed on paper, as it was signed.
CREATE TABLE signature_sheet (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    membership_id INTEGER REFERENCES memberships (id),
    PRIMARY KEY (session_id, position)
);

CREATE TABLE annexes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agenda_item_id INTEGER NOT NULL REFERENCES agenda_items (id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX annexes_item ON annexes (agenda_item_id);

-- One convocation notice per member: sent by e-mail, or kept in the outbox.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    membership_id INTEGER NOT NULL REFERENCES memberships (id),
    recipient TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('outbox', 'sent', 'failed')),
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notices_session ON notices (session_id);
