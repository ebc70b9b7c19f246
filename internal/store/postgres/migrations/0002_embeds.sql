-- Sites seen showing a member's badge: the Referer's host only, counted, with
-- no address or cookie of the visitor.
CREATE TABLE badge_embeds (
	member_id  BIGINT NOT NULL REFERENCES members (id),
	site       TEXT NOT NULL,
	views      BIGINT NOT NULL,
	first_seen TIMESTAMPTZ NOT NULL,
	last_seen  TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (member_id, site)
);
