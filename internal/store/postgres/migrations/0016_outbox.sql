-- The language a member joined in, which its mail is written in (issue 13).
ALTER TABLE members ADD COLUMN lang TEXT NOT NULL DEFAULT 'fr';
-- The durable outbox: one row per message a change to a member sends,
-- written in the same transaction as the change. A sender claims rows by
-- moving next_at past its lease, and stamps sent_at once the message is
-- out.
CREATE TABLE outbox (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	member_id  BIGINT NOT NULL REFERENCES members (id),
	kind       TEXT NOT NULL,
	to_addr    TEXT NOT NULL,
	lang       TEXT NOT NULL,
	reason     TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	next_at    TIMESTAMPTZ NOT NULL,
	sent_at    TIMESTAMPTZ,
	attempts   INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT ''
);
-- What a sender asks for: the unsent rows that are due.
CREATE INDEX outbox_due ON outbox (next_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_member ON outbox (member_id);
