-- Sites seen showing a member's badge: the Referer's host only, counted, with
-- no address or cookie of the visitor.
CREATE TABLE badge_embeds (
	member_id  INTEGER NOT NULL REFERENCES members (id),
	site       TEXT NOT NULL,
	views      INTEGER NOT NULL,
	first_seen TIMESTAMP NOT NULL,
	last_seen  TIMESTAMP NOT NULL,
	PRIMARY KEY (member_id, site)
);
