-- The form in which staff search names (registry.SearchKey: no accents, no
-- case), computed in Go, so filled for existing members by the Go step
-- 0012_name_search_backfill. A search reads every member (LIKE '%…%'
-- cannot use an index); the staff console's lists are small enough.
ALTER TABLE members ADD COLUMN name_search TEXT NOT NULL DEFAULT '';
