-- The bylaws (lineamientos) of each body: amendments proposed under an agenda item, and every
-- version of every article with the day it came into force.

CREATE TABLE amendments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    title TEXT NOT NULL,
    agenda_item_id INTEGER REFERENCES agenda_items (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected')),
    approved_on TEXT,
    in_force_from TEXT,
    CONSTRAINT amendments_agenda_item_id_key UNIQUE (agenda_item_id)
);

CREATE TABLE amendment_changes (
    amendment_id INTEGER NOT NULL REFERENCES amendments (id) ON DELETE CASCADE,
    article INTEGER NOT NULL CHECK (article > 0),
    text TEXT NOT NULL,
    PRIMARY KEY (amendment_id, article)
);

CREATE TABLE article_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body_id INTEGER NOT NULL REFERENCES bodies (id),
    article INTEGER NOT NULL CHECK (article > 0),
    text TEXT NOT NULL,
    in_force_from TEXT NOT NULL,
    amendment_id INTEGER REFERENCES amendments (id),
    CONSTRAINT article_versions_in_force_from_key UNIQUE (body_id, article, in_force_from)
);
