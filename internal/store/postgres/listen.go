package postgres

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Listen calls changed whenever any instance commits a change of approved
// members (NOTIFY on Channel), until ctx ends. It also calls changed after
// each (re)connection, since notices sent while it was away are lost: a
// database restart is followed by a fresh count. It reconnects with backoff
// up to 5 s.
func Listen(ctx context.Context, dsn string, changed func(), log *slog.Logger) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := listenOnce(ctx, dsn, changed, func() { backoff = 100 * time.Millisecond })
		if ctx.Err() != nil {
			return
		}
		log.Warn("change notifications lost; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func listenOnce(ctx context.Context, dsn string, changed, connected func()) error {
	conn, err := pgx.Connect(ctx, withDefaults(dsn)) // connect_timeout: a black-holed port fails, then is retried
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return err
	}
	connected()
	changed() // whatever happened while we were not listening
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		changed()
	}
}
