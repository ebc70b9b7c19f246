-- Named staff accounts and their server-side sessions (issue 11). E-mails
-- are stored lower case, and unique whatever the case they came in.
CREATE TABLE staff (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email         TEXT NOT NULL,
	name          TEXT NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	disabled      BOOLEAN NOT NULL DEFAULT FALSE,
	created_at    TIMESTAMPTZ NOT NULL,
	updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX staff_email ON staff (lower(email));
-- One-time "set your password" links, by the SHA-256 of their token.
CREATE TABLE staff_links (
	token_hash TEXT PRIMARY KEY,
	staff_id   BIGINT NOT NULL REFERENCES staff (id),
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_links_staff ON staff_links (staff_id);
-- Signed-in browsers, by the SHA-256 of their cookie's token. staff_id is
-- NULL for a break-glass session opened with the admin token.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	staff_id   BIGINT REFERENCES staff (id),
	actor      TEXT NOT NULL,
	csrf       TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	last_seen  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_staff ON sessions (staff_id);
