-- The public directory in slug order, whole or by region: a page of listed
-- members is read by seeking in an index that holds only them, after a
-- slug (keyset paging) or from the start. status leads in both, though
-- they hold one status only, so that SQLite prefers them to members_status
-- for "status = 'approved' AND consent_public [AND region = ?] ORDER BY slug",
-- and region comes second in the regional one so that a region's listing
-- is not read through the whole directory's index.
DROP INDEX members_listed;
CREATE INDEX members_listed_region ON members (status, region, slug) WHERE status = 'approved' AND consent_public;
CREATE INDEX members_listed_slug ON members (status, slug) WHERE status = 'approved' AND consent_public;
-- Stats counts approved members by region and consent from this index
-- alone, without reading the members' rows.
CREATE INDEX members_counts ON members (status, region, consent_public);
