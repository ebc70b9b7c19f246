-- One row that readiness checks write, so that a database that answers but
-- cannot write (disk full) is reported not ready. probe is written and
-- cleared in the same transaction; it holds nothing between checks.
CREATE TABLE health (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	checked_at TIMESTAMP NOT NULL,
	probe      BLOB
);
