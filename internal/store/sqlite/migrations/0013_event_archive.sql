-- Events staff archived (NULL while active). Archived events are kept
-- whole: posters already printed still count scans and bring joins.
ALTER TABLE events ADD COLUMN archived_at TIMESTAMP;
