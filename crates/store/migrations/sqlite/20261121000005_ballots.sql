-- Votes taken by person: who voted how on an item. The item's counts in `votes` are derived
-- from these when they exist.
CREATE TABLE vote_ballots (
    agenda_item_id INTEGER NOT NULL REFERENCES agenda_items (id) ON DELETE CASCADE,
    membership_id INTEGER NOT NULL REFERENCES memberships (id),
    choice TEXT NOT NULL CHECK (choice IN ('in_favour', 'against', 'abstention')),
    PRIMARY KEY (agenda_item_id, membership_id)
);
