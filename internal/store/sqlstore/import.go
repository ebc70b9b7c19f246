package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// ImportBatch is how many rows one import transaction writes. SQLite has a
// single writer, so a join that arrives during an import of
// registry.MaxImportRows rows waits for one batch rather than the whole file.
const ImportBatch = 250

// lookupChunk bounds the values one IN (…) list holds, well under the
// parameter limits of both databases.
const lookupChunk = 500

// ImportMembers saves every row as an approved member, or none. Every
// website is checked first; the rows are then written ImportBatch at a time,
// each batch in a transaction bounded by the query timeout.
// When a batch fails (a join took one of the websites since the check, say)
// the batches already written are removed again before the error is
// returned, so a failed import leaves nothing behind.
func (s *Store) ImportMembers(ctx context.Context, rows []registry.ImportRow, actor string) (_ []*registry.Member, err error) {
	defer markUnavailable(&err) // each step is bounded by the query timeout, not the whole
	if err := s.checkImportHosts(ctx, rows); err != nil {
		return nil, fmt.Errorf("import members: %w", err)
	}
	now := s.clock()
	out := make([]*registry.Member, 0, len(rows))
	for batch := range slices.Chunk(rows, ImportBatch) {
		ms, err := s.importBatch(ctx, batch, actor, now)
		if err != nil {
			return nil, fmt.Errorf("import members: %w", s.undoImport(ctx, out, err))
		}
		out = append(out, ms...)
	}
	s.analyze(ctx)
	return out, nil
}

// analyze refreshes the planner's statistics where the dialect asks for it.
// The import is committed by then, so a failure here is no failure of the
// import: statistics are refreshed by the database later in any case.
func (s *Store) analyze(ctx context.Context) {
	if s.d.Analyze != "" {
		ctx, cancel := s.bound(ctx)
		defer cancel()
		_, _ = s.w.ExecContext(ctx, s.d.Analyze)
	}
}

// importBatch writes rows as approved members with their audit entries, in
// one transaction.
func (s *Store) importBatch(ctx context.Context, rows []registry.ImportRow, actor string, now time.Time) ([]*registry.Member, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var out []*registry.Member
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = make([]*registry.Member, 0, len(rows)) // afresh when run again
		for _, row := range rows {
			m, err := s.importRow(ctx, tx, row, actor, now)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return s.notify(ctx, tx)
	})
	return out, err
}

func (s *Store) importRow(ctx context.Context, tx *sql.Tx, row registry.ImportRow, actor string, now time.Time) (*registry.Member, error) {
	m := *row.Member
	m.Status, m.Version, m.CreatedAt, m.UpdatedAt, m.ApprovedAt = registry.StatusApproved, 1, now, now, now
	var err error
	if m.Slug, err = s.freeSlug(ctx, tx, m.Name); err != nil {
		return nil, err
	}
	if err := s.insert(ctx, tx, &m); err != nil {
		if s.d.UniqueViolation(err) == "website_host" { // taken by a join since the check
			return nil, &registry.Invalid{Problems: []registry.Problem{{Field: "website", Rule: registry.RuleTaken, Line: row.Line}}}
		}
		return nil, fmt.Errorf("line %d: %w", row.Line, err)
	}
	err = s.audit(ctx, tx, registry.AuditEntry{At: now, Actor: actor, Action: registry.ActionImport, MemberID: m.ID})
	return &m, err
}

// undoImport removes the members an import wrote before one of its batches
// failed with cause, with everything recorded about them since (audit
// entries, badge views), in one transaction. It runs even when ctx is
// cancelled: a cancelled import must not stay half written. It returns
// cause, or the undo's own failure, which leaves those members in place.
func (s *Store) undoImport(ctx context.Context, written []*registry.Member, cause error) error {
	if len(written) == 0 {
		return cause
	}
	ctx, cancel := s.bound(context.WithoutCancel(ctx))
	defer cancel()
	ids := make([]any, len(written))
	for i, m := range written {
		ids[i] = m.ID
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for chunk := range slices.Chunk(ids, lookupChunk) {
			in := " WHERE member_id IN (" + marks(len(chunk)) + ")"
			for _, q := range []string{`DELETE FROM outbox` + in, `DELETE FROM badge_embeds` + in, `DELETE FROM audit` + in,
				`DELETE FROM members WHERE id IN (` + marks(len(chunk)) + `)`} {
				if _, err := tx.ExecContext(ctx, s.q(q), chunk...); err != nil {
					return err
				}
			}
		}
		return s.notify(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("undo: the %d members written before the failure (%v) remain: %w", len(written), cause, err)
	}
	return cause
}

// checkImportHosts reports every row whose website is already pending or
// approved, by line, before anything is written. It reads outside any write
// transaction, a chunk of websites per query.
func (s *Store) checkImportHosts(ctx context.Context, rows []registry.ImportRow) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var ps []registry.Problem
	for chunk := range slices.Chunk(rows, lookupChunk) {
		lines := make(map[string]int, len(chunk))
		hosts := make([]any, len(chunk))
		for i, row := range chunk {
			hosts[i] = row.Member.WebsiteHost()
			lines[row.Member.WebsiteHost()] = row.Line
		}
		taken, err := s.liveHosts(ctx, hosts)
		if err != nil {
			return fmt.Errorf("check websites: %w", err)
		}
		for _, h := range taken {
			ps = append(ps, registry.Problem{Field: "website", Rule: registry.RuleTaken, Line: lines[h]})
		}
	}
	if len(ps) > 0 {
		slices.SortFunc(ps, func(a, b registry.Problem) int { return cmp.Compare(a.Line, b.Line) })
		return &registry.Invalid{Problems: ps}
	}
	return nil
}

// liveHosts returns which of hosts a pending or approved member holds.
func (s *Store) liveHosts(ctx context.Context, hosts []any) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT website_host FROM members
		WHERE status IN `+live+` AND website_host IN (`+marks(len(hosts))+`)`), hosts...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var taken []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		taken = append(taken, h)
	}
	return taken, rows.Err()
}

// marks returns n comma-separated placeholders for an IN (…) list.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
