package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/technopolys/technopolys/internal/registry"
)

// RecordEmbeds adds badge request counts, in one transaction.
func (s *Store) RecordEmbeds(ctx context.Context, counts []registry.EmbedCount) error {
	if len(counts) == 0 {
		return nil
	}
	now := s.now().UTC()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, c := range counts {
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO badge_embeds (member_id, site, views, first_seen, last_seen)
				VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (member_id, site) DO UPDATE SET views = badge_embeds.views + excluded.views, last_seen = excluded.last_seen`),
				c.MemberID, c.Site, c.Views, now, now)
			if err != nil {
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

// ListEmbeds returns the sites seen showing a member's badge, most viewed
// first.
func (s *Store) ListEmbeds(ctx context.Context, memberID int64) ([]registry.Embed, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT site, views, first_seen, last_seen FROM badge_embeds
		WHERE member_id = ? ORDER BY views DESC, site`), memberID)
	if err != nil {
		return nil, fmt.Errorf("list embeds: %w", err)
	}
	defer rows.Close()
	out := []registry.Embed{}
	for rows.Next() {
		var e registry.Embed
		if err := rows.Scan(&e.Site, &e.Views, &e.FirstSeen, &e.LastSeen); err != nil {
			return nil, fmt.Errorf("list embeds: %w", err)
		}
		e.FirstSeen, e.LastSeen = e.FirstSeen.UTC(), e.LastSeen.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
