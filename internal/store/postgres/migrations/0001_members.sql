CREATE TABLE members (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug           TEXT UNIQUE,
	name           TEXT NOT NULL,
	website        TEXT NOT NULL,
	website_host   TEXT NOT NULL,
	contact_name   TEXT NOT NULL DEFAULT '',
	contact_email  TEXT NOT NULL DEFAULT '',
	region         TEXT NOT NULL,
	consent_public BOOLEAN NOT NULL,
	status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'revoked')),
	event          TEXT NOT NULL DEFAULT '',
	reason         TEXT NOT NULL DEFAULT '',
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     TIMESTAMPTZ NOT NULL,
	updated_at     TIMESTAMPTZ NOT NULL,
	approved_at    TIMESTAMPTZ,
	rejected_at    TIMESTAMPTZ,
	revoked_at     TIMESTAMPTZ
);
-- One live application per website: a second join of the same host is a
-- conflict while the first is pending or approved.
CREATE UNIQUE INDEX members_live_host ON members (website_host) WHERE status IN ('pending', 'approved');
CREATE INDEX members_status ON members (status, id);
CREATE INDEX members_listed ON members (region, slug) WHERE status = 'approved' AND consent_public;
CREATE TABLE audit (
	id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at        TIMESTAMPTZ NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	member_id BIGINT NOT NULL REFERENCES members (id),
	reason    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_member ON audit (member_id, id);
