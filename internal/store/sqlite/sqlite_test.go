package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/store/sqlite"
	"github.com/technopolys/technopolys/internal/store/storetest"
)

// MustOpen opens a new SQLite store in a temporary directory.
func MustOpen(tb testing.TB, path string, now func() time.Time) registry.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), path, now)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) registry.Store {
		return MustOpen(t, filepath.Join(t.TempDir(), "tp.db"), now)
	})
}
