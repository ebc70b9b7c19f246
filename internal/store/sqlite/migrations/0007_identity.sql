-- What makes two members the same name or names that look alike
-- (registry.NameKey, registry.NameSkeleton): computed in Go, so filled for
-- existing members by the Go step 0008_identity_backfill, which also
-- recomputes website_host in its IDNA (ASCII) form.
ALTER TABLE members ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN name_skeleton TEXT NOT NULL DEFAULT '';
-- Not unique: names equal under NameKey may have been accepted before it.
CREATE INDEX members_live_name ON members (name_key) WHERE status IN ('pending', 'approved');
CREATE INDEX members_live_skeleton ON members (name_skeleton) WHERE status IN ('pending', 'approved');
