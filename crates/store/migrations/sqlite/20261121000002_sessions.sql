-- Sessions of the bodies: convocation, agenda, attendance, votes and motions.

-- Whether a seat votes (and so counts for quorum); the facilitator's, for one, does not.
ALTER TABLE memberships ADD COLUMN has_vote INTEGER NOT NULL DEFAULT 1 CHECK (has_vote IN (0, 1));

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    kind TEXT NOT NULL CHECK (kind IN ('ordinary', 'extraordinary')),
    year INTEGER NOT NULL,
    number INTEGER NOT NULL CHECK (number > 0),
    held_on TEXT NOT NULL,
    scheduled_time TEXT NOT NULL,
    place TEXT NOT NULL,
    legal_basis TEXT NOT NULL DEFAULT '',
    started_at TEXT,
    ended_at TEXT,
    CONSTRAINT sessions_number_key UNIQUE (body_id, kind, year, number)
);
CREATE INDEX sessions_held_on ON sessions (held_on);

CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position > 0),
    kind TEXT NOT NULL CHECK (kind IN ('attendance_quorum', 'agenda_approval', 'minutes_approval', 'proposal',
                                       'report', 'results', 'general_matters', 'closing')),
    title TEXT NOT NULL,
    presenter_membership_id INTEGER REFERENCES memberships (id),
    narrative TEXT NOT NULL DEFAULT '',
    annex_note TEXT NOT NULL DEFAULT '',
    minutes_of_session_id INTEGER REFERENCES sessions (id),
    CONSTRAINT agenda_items_position_key UNIQUE (session_id, position)
);
CREATE INDEX agenda_items_minutes_of ON agenda_items (minutes_of_session_id);

CREATE TABLE attendance (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    membership_id INTEGER NOT NULL REFERENCES memberships (id),
    -- The order of the list as taken; the minutes name those present in this order.
    position INTEGER NOT NULL,
    written_name TEXT,
    PRIMARY KEY (session_id, membership_id)
);

-- A vote's counts, or — for historical records that give only the result ("aprobada por
-- unanimidad") — no counts and the reported outcome.
CREATE TABLE votes (
    agenda_item_id INTEGER PRIMARY KEY REFERENCES agenda_items (id) ON DELETE CASCADE,
    in_favour INTEGER CHECK (in_favour >= 0),
    against INTEGER CHECK (against >= 0),
    abstentions INTEGER CHECK (abstentions >= 0),
    outcome TEXT NOT NULL CHECK (outcome IN ('approved_unanimously', 'approved_by_majority', 'approved', 'rejected')),
    reported_by_membership_id INTEGER REFERENCES memberships (id),
    CHECK ((in_favour IS NULL) = (against IS NULL) AND (against IS NULL) = (abstentions IS NULL))
);

CREATE TABLE motions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agenda_item_id INTEGER NOT NULL REFERENCES agenda_items (id) ON DELETE CASCADE,
    proposer_membership_id INTEGER REFERENCES memberships (id),
    text TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected'))
);
