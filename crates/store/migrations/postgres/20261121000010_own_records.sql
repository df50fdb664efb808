-- The platform publishes its own records (the action plan's goals, sessions, agreements, works,
-- calls) as open datasets once a data officer designates the publisher they appear under. The
-- one row says which publisher, the contact the datasets name, and who authorised it: the
-- versions the platform publishes are recorded as uploaded and approved by that officer.
CREATE TABLE own_records_publication (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    publisher_id BIGINT NOT NULL REFERENCES publishers (id),
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    authorised_by BIGINT NOT NULL REFERENCES users (id),
    authorised_at BIGINT NOT NULL
);
