-- Calls (convocatorias), what citizens submit to them, and the personal data kept apart.

CREATE TABLE calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('ideas', 'youth')),
    title TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    requirements TEXT NOT NULL DEFAULT '',
    -- The body whose session approves the call, and the agenda item whose vote approved it.
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    approved_by_item_id INTEGER REFERENCES agenda_items (id),
    opens_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL CHECK (closes_at > opens_at),
    -- A youth call's age range, on its closing day.
    min_age INTEGER CHECK (min_age >= 0),
    max_age INTEGER CHECK (max_age >= min_age),
    state TEXT NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'published', 'under_evaluation', 'resolved', 'void')),
    -- The number the next submission gets: folios run from 1 without gaps.
    next_number INTEGER NOT NULL DEFAULT 1 CHECK (next_number > 0),
    created_at INTEGER NOT NULL,
    published_at INTEGER,
    closed_at INTEGER,
    resolved_at INTEGER,
    results_text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX calls_due ON calls (state, closes_at);

CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id INTEGER NOT NULL REFERENCES calls (id),
    number INTEGER NOT NULL CHECK (number > 0),
    folio TEXT NOT NULL UNIQUE,
    -- SHA-256 of the secret that, with the folio, opens the status page. The same form posted
    -- twice carries the same secret, so it lands once.
    token_hash TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    problem TEXT NOT NULL DEFAULT '',
    proposal TEXT NOT NULL DEFAULT '',
    area TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'received'
        CHECK (status IN ('received', 'under_review', 'accepted', 'rejected')),
    -- The evaluation's reasons, which the proponent reads.
    reasons TEXT NOT NULL DEFAULT '',
    submitted_at INTEGER NOT NULL,
    decided_at INTEGER,
    -- When the proponent's personal data was erased at their request.
    erased_at INTEGER,
    CONSTRAINT submissions_number_key UNIQUE (call_id, number)
);

-- The proponent's personal data, never shown outside the secretariat.
CREATE TABLE proponents (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    neighbourhood TEXT NOT NULL DEFAULT '',
    born_on TEXT,
    consented_at INTEGER NOT NULL
);

-- The secretariat's private notes on a submission.
CREATE TABLE submission_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    author_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    at INTEGER NOT NULL
);

CREATE TABLE submission_files (
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    evidence_id INTEGER NOT NULL REFERENCES evidence (id),
    PRIMARY KEY (submission_id, evidence_id)
);

-- Submissions per client address (a hash of it), for the rate limit.
CREATE TABLE submission_attempts (
    client TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX submission_attempts_client ON submission_attempts (client, at);

-- Items proposed for a body's next session agenda, such as a void call's results.
CREATE TABLE agenda_proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    call_id INTEGER REFERENCES calls (id),
    title TEXT NOT NULL,
    narrative TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- The agenda item that took the proposal up, once it did.
    taken_by_item_id INTEGER REFERENCES agenda_items (id)
);

-- An idea of the Banco de Acciones can be the origin of a commitment of an action plan.
ALTER TABLE commitments ADD COLUMN origin_submission_id INTEGER REFERENCES submissions (id);
