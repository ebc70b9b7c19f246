-- When the contact's address was confirmed by the link its receipt
-- carried; NULL until then (issue 13).
ALTER TABLE members ADD COLUMN contact_confirmed_at TIMESTAMP;
-- Finding a member by its contact's address, to mail it a sign-in link.
CREATE INDEX members_contact ON members (lower(contact_email)) WHERE contact_email <> '';
-- The token of the link an unsent mail carries. The link itself is kept
-- only by its hash (member_links); the token stays here until the mail is
-- sent, so a resend after a crash carries the same link, and is emptied
-- then.
ALTER TABLE outbox ADD COLUMN link_token TEXT NOT NULL DEFAULT '';
-- Links mailed to a member's contact, by the SHA-256 of their token:
-- 'confirm' (the address, from the receipt) and 'signin' (the member area).
CREATE TABLE member_links (
	token_hash TEXT PRIMARY KEY,
	member_id  INTEGER NOT NULL REFERENCES members (id),
	purpose    TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	expires_at TIMESTAMP NOT NULL
);
CREATE INDEX member_links_member ON member_links (member_id);
-- Signed-in members, by the SHA-256 of their cookie's token.
CREATE TABLE member_sessions (
	token_hash TEXT PRIMARY KEY,
	member_id  INTEGER NOT NULL REFERENCES members (id),
	csrf       TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	last_seen  TIMESTAMP NOT NULL
);
CREATE INDEX member_sessions_member ON member_sessions (member_id);
-- What members ask of staff from their area: a new name or website
-- ('change'), or to be deleted ('deletion'). decision is '' while open,
-- then 'approved' or 'refused'.
CREATE TABLE member_requests (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	member_id  INTEGER NOT NULL REFERENCES members (id),
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL DEFAULT '',
	website    TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	decision   TEXT NOT NULL DEFAULT '',
	decided_at TIMESTAMP,
	actor      TEXT NOT NULL DEFAULT '',
	reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX member_requests_open ON member_requests (created_at) WHERE decision = '';
CREATE INDEX member_requests_member ON member_requests (member_id);
