-- The Cabildo Abierto Juvenil: sessions known by their own name (the abanderamiento, the
-- Escuela Ciudadana Juvenil's trainings), and the young people the selection committee chose,
-- seated as members of the council.

ALTER TABLE sessions ADD COLUMN name TEXT NOT NULL DEFAULT '';

CREATE TABLE youth_selections (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
    membership_id INTEGER NOT NULL UNIQUE REFERENCES memberships (id),
    -- The selection committee's agenda item whose vote chose them.
    decided_by_item_id INTEGER NOT NULL REFERENCES agenda_items (id),
    seated_at INTEGER NOT NULL
);
