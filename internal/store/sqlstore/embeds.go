package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// RecordEmbeds adds badge request counts, in one transaction. Sites a
// member already has go on counting; new ones are added while the member
// has fewer than registry.MaxEmbedSites, those with the most views first,
// and dropped beyond. Dropping rather than evicting the least viewed keeps
// a flood of forged Referers from rewriting the table: each forged site
// would evict another (a delete and an insert for each), and a real new
// site, which starts with few views, would be evicted by the next forged
// one anyway.
func (s *Store) RecordEmbeds(ctx context.Context, counts []registry.EmbedCount) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	if len(counts) == 0 {
		return nil
	}
	now := s.now().UTC()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		for _, member := range byMember(counts) {
			if err := s.recordMemberEmbeds(ctx, tx, member, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record embeds: %w", err)
	}
	return nil
}

// byMember groups counts by member, each group most viewed first.
func byMember(counts []registry.EmbedCount) [][]registry.EmbedCount {
	sorted := slices.Clone(counts)
	slices.SortFunc(sorted, func(a, b registry.EmbedCount) int {
		return cmp.Or(cmp.Compare(a.MemberID, b.MemberID), cmp.Compare(b.Views, a.Views), cmp.Compare(a.Site, b.Site))
	})
	var groups [][]registry.EmbedCount
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j].MemberID == sorted[i].MemberID {
			j++
		}
		groups = append(groups, sorted[i:j])
		i = j
	}
	return groups
}

// recordMemberEmbeds adds one member's counts: it adds to the sites it
// has, then inserts new sites while there is room.
func (s *Store) recordMemberEmbeds(ctx context.Context, tx *sql.Tx, counts []registry.EmbedCount, now time.Time) error {
	id := counts[0].MemberID
	if err := s.lock(ctx, tx, "embeds:"+strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	var fresh []registry.EmbedCount
	for _, c := range counts {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE badge_embeds SET views = views + ?, last_seen = ?
			WHERE member_id = ? AND site = ?`), c.Views, now, c.MemberID, c.Site)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			fresh = append(fresh, c)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	var kept int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM badge_embeds WHERE member_id = ?`), id).Scan(&kept); err != nil {
		return err
	}
	for _, c := range fresh[:min(len(fresh), max(registry.MaxEmbedSites-kept, 0))] {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO badge_embeds (member_id, site, views, first_seen, last_seen)
			VALUES (?, ?, ?, ?, ?)`), c.MemberID, c.Site, c.Views, now, now)
		if err != nil {
			return err
		}
	}
	return nil
}

// ListEmbeds returns one page of the sites seen showing a member's badge,
// most viewed first, and how many sites there are.
func (s *Store) ListEmbeds(ctx context.Context, memberID int64, limit, offset int) (_ []registry.Embed, _ int, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	var total int
	if err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM badge_embeds WHERE member_id = ?`), memberID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("list embeds: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT site, views, first_seen, last_seen FROM badge_embeds
		WHERE member_id = ? ORDER BY views DESC, site LIMIT ? OFFSET ?`), memberID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list embeds: %w", err)
	}
	defer rows.Close()
	out := []registry.Embed{}
	for rows.Next() {
		var e registry.Embed
		if err := rows.Scan(&e.Site, &e.Views, &e.FirstSeen, &e.LastSeen); err != nil {
			return nil, 0, fmt.Errorf("list embeds: %w", err)
		}
		e.FirstSeen, e.LastSeen = e.FirstSeen.UTC(), e.LastSeen.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list embeds: %w", err)
	}
	return out, total, nil
}
