package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/technopolys/technopolys/internal/registry"
)

// checkName refuses m when a pending or approved member has the same name
// key. On PostgreSQL the name is locked first, so two joins of one name at
// once cannot both pass the check (SQLite's single writer already
// serialises them); the index of names is not unique, because names equal
// under registry.NameKey were accepted before it existed.
func (s *Store) checkName(ctx context.Context, tx *sql.Tx, m *registry.Member) error {
	key := registry.NameKey(m.Name)
	if err := s.lock(ctx, tx, "name:"+key); err != nil {
		return err
	}
	var n int
	err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM members WHERE name_key = ? AND status IN `+live), key).Scan(&n)
	if err != nil {
		return fmt.Errorf("check name: %w", err)
	}
	if n > 0 {
		return &registry.Error{Code: registry.ECONFLICT, Reason: registry.RuleNameTaken}
	}
	return nil
}

// similarLimit bounds the lookalikes SimilarMembers returns.
const similarLimit = 20

// SimilarMembers returns the other pending or approved members whose names
// have m's confusable skeleton, oldest first.
func (s *Store) SimilarMembers(ctx context.Context, m *registry.Member) (_ []*registry.Member, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	ms, err := s.queryMembers(ctx, `SELECT `+memberColumns+` FROM members
		WHERE name_skeleton = ? AND status IN `+live+` AND id <> ? ORDER BY id LIMIT ?`,
		registry.NameSkeleton(m.Name), m.ID, similarLimit)
	if err != nil {
		return nil, fmt.Errorf("similar members: %w", err)
	}
	return ms, nil
}

// recomputeSkeletons is migration 0009: NameSkeleton came to fold accents
// and punctuation too ("Québec Co." looks like "Quebec Co"), so every
// member's skeleton is computed again.
func recomputeSkeletons(ctx context.Context, tx *sql.Tx, d Dialect) error {
	rows, err := readIdentities(ctx, tx)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, d.Rebind(`UPDATE members SET name_skeleton = ? WHERE id = ?`), registry.NameSkeleton(r.name), r.id); err != nil {
			return err
		}
	}
	return nil
}

// backfillNameSearch is migration 0012: it fills name_search, the
// registry.SearchKey of each member's name, which staff search by.
func backfillNameSearch(ctx context.Context, tx *sql.Tx, d Dialect) error {
	rows, err := readIdentities(ctx, tx)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, d.Rebind(`UPDATE members SET name_search = ? WHERE id = ?`), registry.SearchKey(r.name), r.id); err != nil {
			return err
		}
	}
	return nil
}

// identityRow is what backfillIdentity reads of a member.
type identityRow struct {
	id                  int64
	name, website, host string
	live                bool
	newHost             string
}

// backfillIdentity is migration 0008: it fills name_key and name_skeleton of
// every member and recomputes website_host with registry.HostKey, now in
// IDNA form. Where two live members would then hold one host (one signed up
// as québec.example, one as xn--qubec-csa.example), the ones whose host
// changed keep their old one: the unique index of live hosts holds, and
// they stay two members as before.
func backfillIdentity(ctx context.Context, tx *sql.Tx, d Dialect) error {
	rows, err := readIdentities(ctx, tx)
	if err != nil {
		return err
	}
	keepLiveHostsUnique(rows)
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, d.Rebind(`UPDATE members SET name_key = ?, name_skeleton = ?, website_host = ? WHERE id = ?`),
			registry.NameKey(r.name), registry.NameSkeleton(r.name), r.newHost, r.id); err != nil {
			return err
		}
	}
	return nil
}

func readIdentities(ctx context.Context, tx *sql.Tx) ([]*identityRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, website, website_host, status FROM members`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*identityRow
	for rows.Next() {
		var (
			r      identityRow
			status registry.Status
		)
		if err := rows.Scan(&r.id, &r.name, &r.website, &r.host, &status); err != nil {
			return nil, err
		}
		r.live = status == registry.StatusPending || status == registry.StatusApproved
		r.newHost = registry.HostKey(r.website)
		out = append(out, &r)
	}
	return out, rows.Err()
}

// keepLiveHostsUnique gives back their old host to the live members whose
// new host another live member would hold too.
func keepLiveHostsUnique(rows []*identityRow) {
	holders := map[string][]*identityRow{}
	for _, r := range rows {
		if r.live {
			holders[r.newHost] = append(holders[r.newHost], r)
		}
	}
	for _, group := range holders {
		if len(group) < 2 {
			continue
		}
		for _, r := range group {
			r.newHost = r.host
		}
	}
}
