-- Events whose printed QR codes bring members in. scans is a plain counter:
-- no address, no cookie, no time of scan.
CREATE TABLE events (
	code       TEXT PRIMARY KEY,
	name_fr    TEXT NOT NULL,
	name_en    TEXT NOT NULL,
	starts_on  TEXT NOT NULL DEFAULT '',
	place      TEXT NOT NULL DEFAULT '',
	scans      INTEGER NOT NULL DEFAULT 0,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX members_event ON members (event, status);
