package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/technopolys/technopolys/internal/store/sqlstore"
)

// OpenWithWriter opens a store like Open and also returns its writer pool
// (one connection), so a test can put the database in a state the store
// must survive, such as full.
func OpenWithWriter(ctx context.Context, path string, now func() time.Time) (*sqlstore.Store, *sql.DB, error) {
	return open(ctx, path, now)
}
