package web

import (
	"context"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// retentionEvery is how often the server erases the contacts kept past the
// retention period: a contact then goes at most an hour late.
const retentionEvery = time.Hour

// EraseExpired erases the contact of every request rejected longer ago
// than the retention period (registry.EraseExpiredContacts), and of every
// pending request made longer ago whose contact never confirmed its
// address (registry.EraseUnconfirmedContacts), and returns how many it
// erased. The server runs it at start and every hour; with
// several instances, each does, and a contact erased by one is skipped by
// the others.
func (s *Server) EraseExpired(ctx context.Context) (int, error) {
	cutoff := s.now().Add(-s.cfg.Retention)
	rejected, err := registry.EraseExpiredContacts(ctx, s.store, cutoff)
	if err != nil {
		return rejected, err
	}
	unconfirmed, err := registry.EraseUnconfirmedContacts(ctx, s.store, cutoff)
	return rejected + unconfirmed, err
}

// eraseExpiredEvery runs EraseExpired now and every period until done is
// closed; a run in progress is cancelled then, so Close does not wait for
// it and the store is not closed under it.
func (s *Server) eraseExpiredEvery(period time.Duration, done <-chan struct{}) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-done
		cancel()
	}()
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		n, err := s.EraseExpired(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Error("erase expired contacts", "err", err)
		case n > 0:
			s.log.Info("expired contacts erased", "count", n, "retention", s.cfg.Retention.String())
		}
		select {
		case <-done:
			return
		case <-tick.C:
		}
	}
}
