-- A submission's secret (token_hash) is the server's own, shown on the receipt; the client's
-- idempotency key is kept apart, with a digest of what was sent, so that a post repeated
-- with the same key and the same content lands once, and the key alone opens nothing.
ALTER TABLE submissions ADD COLUMN idempotency_hash TEXT;
ALTER TABLE submissions ADD COLUMN request_hash TEXT;
-- Before, the key was the secret itself: earlier submissions keep answering to it.
UPDATE submissions SET idempotency_hash = token_hash;
CREATE UNIQUE INDEX submissions_idempotency ON submissions (idempotency_hash);
