package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/technopolys/technopolys/internal/registry"
)

// CreateEvent saves a validated event.
func (s *Store) CreateEvent(ctx context.Context, e *registry.Event) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	e.CreatedAt = s.clock()
	_, err = s.w.ExecContext(ctx, s.q(`INSERT INTO events (code, name_fr, name_en, starts_on, place, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
		e.Code, e.NameFR, e.NameEN, e.StartsOn, e.Place, e.CreatedAt)
	if s.d.UniqueViolation(err) != "" {
		return &registry.Error{Code: registry.ECONFLICT, Reason: registry.RuleEventTaken}
	}
	if err != nil {
		return fmt.Errorf("create event: %w", err)
	}
	return nil
}

// eventQuery reads events with their funnels: joins and approved members
// are counted from the members who came with the event's code.
const eventQuery = `SELECT e.code, e.name_fr, e.name_en, e.starts_on, e.place, e.scans, e.created_at, e.archived_at,
	(SELECT COUNT(*) FROM members m WHERE m.event = e.code),
	(SELECT COUNT(*) FROM members m WHERE m.event = e.code AND m.status = 'approved')
	FROM events e`

func scanEvent(row interface{ Scan(...any) error }) (*registry.Event, error) {
	var (
		e        registry.Event
		archived sql.NullTime
	)
	err := row.Scan(&e.Code, &e.NameFR, &e.NameEN, &e.StartsOn, &e.Place, &e.Scans, &e.CreatedAt, &archived, &e.Joins, &e.Approved)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, registry.NotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("read event: %w", err)
	}
	e.CreatedAt, e.ArchivedAt = e.CreatedAt.UTC(), timeOrZero(archived)
	return &e, nil
}

// FindEvent returns an event with its funnel.
func (s *Store) FindEvent(ctx context.Context, code string) (_ *registry.Event, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	return scanEvent(s.r.QueryRowContext(ctx, s.q(eventQuery+` WHERE e.code = ?`), code))
}

// ListEvents returns every event with its funnel, newest first.
func (s *Store) ListEvents(ctx context.Context) (_ []*registry.Event, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	rows, err := s.r.QueryContext(ctx, eventQuery+` ORDER BY e.created_at DESC, e.code`)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	out := []*registry.Event{}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EditEvent changes an event's names, date and place; the code in n is
// ignored, the event keeps code. A code that is not valid names no event.
func (s *Store) EditEvent(ctx context.Context, code string, n registry.NewEvent) (_ *registry.Event, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	if !registry.ValidCode(code) {
		return nil, registry.NotFound()
	}
	n.Code = code
	e, err := n.Validate()
	if err != nil {
		return nil, err
	}
	var out *registry.Event
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE events SET name_fr = ?, name_en = ?, starts_on = ?, place = ? WHERE code = ?`),
			e.NameFR, e.NameEN, e.StartsOn, e.Place, code)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return cmp.Or(err, registry.NotFound())
		}
		out, err = scanEvent(tx.QueryRowContext(ctx, s.q(eventQuery+` WHERE e.code = ?`), code))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("edit event %s: %w", code, err)
	}
	return out, nil
}

// ArchiveEvent archives an event or makes it active again, as
// registry.Event.Archive allows.
func (s *Store) ArchiveEvent(ctx context.Context, code string, archived bool) (_ *registry.Event, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	var e *registry.Event
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if e, err = scanEvent(tx.QueryRowContext(ctx, s.q(eventQuery+` WHERE e.code = ?`+s.d.ForUpdate), code)); err != nil {
			return err
		}
		if err := e.Archive(archived, s.clock()); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE events SET archived_at = ? WHERE code = ?`), nullTime(e.ArchivedAt), code)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("archive event %s: %w", code, err)
	}
	return e, nil
}

// RecordScan counts one scan of an event's QR code.
func (s *Store) RecordScan(ctx context.Context, code string) (_ bool, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE events SET scans = scans + 1 WHERE code = ?`), code)
	if err != nil {
		return false, fmt.Errorf("record scan: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RecordScans adds scan counts of several events in one transaction. Codes
// are updated in sorted order, so two instances flushing at once lock the
// same rows in the same order and wait for each other instead of
// deadlocking.
func (s *Store) RecordScans(ctx context.Context, counts map[string]int) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	if len(counts) == 0 {
		return nil // no write transaction for an idle flush
	}
	codes := slices.Sorted(maps.Keys(counts))
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		for _, code := range codes {
			if counts[code] <= 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE events SET scans = scans + ? WHERE code = ?`), counts[code], code); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record scans: %w", err)
	}
	return nil
}
