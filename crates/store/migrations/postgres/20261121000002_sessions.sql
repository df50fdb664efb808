-- Sessions of the bodies: convocation, agenda, attendance, votes and motions.

-- Whether a seat votes (and so counts for quorum); the facilitator's, for one, does not.
ALTER TABLE memberships ADD COLUMN has_vote BIGINT NOT NULL DEFAULT 1 CHECK (has_vote IN (0, 1));

CREATE TABLE sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    kind TEXT NOT NULL CHECK (kind IN ('ordinary', 'extraordinary')),
    year BIGINT NOT NULL,
    number BIGINT NOT NULL CHECK (number > 0),
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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position BIGINT NOT NULL CHECK (position > 0),
    kind TEXT NOT NULL CHECK (kind IN ('attendance_quorum', 'agenda_approval', 'minutes_approval', 'proposal',
                                       'report', 'results', 'general_matters', 'closing')),
    title TEXT NOT NULL,
    presenter_membership_id BIGINT REFERENCES memberships (id),
    narrative TEXT NOT NULL DEFAULT '',
    annex_note TEXT NOT NULL DEFAULT '',
    minutes_of_session_id BIGINT REFERENCES sessions (id),
    CONSTRAINT agenda_items_position_key UNIQUE (session_id, position)
);
CREATE INDEX agenda_items_minutes_of ON agenda_items (minutes_of_session_id);

CREATE TABLE attendance (
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    membership_id BIGINT NOT NULL REFERENCES memberships (id),
    -- The order of the list as taken; the minutes name those present in this order.
    position BIGINT NOT NULL,
    written_name TEXT,
    PRIMARY KEY (session_id, membership_id)
);

-- A vote's counts, or — for historical records that give only the result ("aprobada por
-- unanimidad") — no counts and the reported outcome.
CREATE TABLE votes (
    agenda_item_id BIGINT PRIMARY KEY REFERENCES agenda_items (id) ON DELETE CASCADE,
    in_favour BIGINT CHECK (in_favour >= 0),
    against BIGINT CHECK (against >= 0),
    abstentions BIGINT CHECK (abstentions >= 0),
    outcome TEXT NOT NULL CHECK (outcome IN ('approved_unanimously', 'approved_by_majority', 'approved', 'rejected')),
    reported_by_membership_id BIGINT REFERENCES memberships (id),
    CHECK ((in_favour IS NULL) = (against IS NULL) AND (against IS NULL) = (abstentions IS NULL))
);

CREATE TABLE motions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agenda_item_id BIGINT NOT NULL REFERENCES agenda_items (id) ON DELETE CASCADE,
    proposer_membership_id BIGINT REFERENCES memberships (id),
    text TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected'))
);
