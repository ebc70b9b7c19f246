package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// hourLayout is how Dialect.HourUTC writes an hour.
const hourLayout = "2006-01-02 15:04:05"

// ApprovalCounts counts approved members by the UTC hour of their approval.
// The database groups them (from the index of statuses and approval
// times), so the answer is one row per hour whatever the number of members.
func (s *Store) ApprovalCounts(ctx context.Context) (_ []registry.TimeCount, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	hour := s.d.HourUTC("approved_at")
	rows, err := s.r.QueryContext(ctx, `SELECT `+hour+`, COUNT(*) FROM members
		WHERE status = 'approved' AND approved_at IS NOT NULL GROUP BY `+hour+` ORDER BY `+hour)
	if err != nil {
		return nil, fmt.Errorf("approval counts: %w", err)
	}
	defer rows.Close()
	out := []registry.TimeCount{}
	for rows.Next() {
		var (
			at string
			c  registry.TimeCount
		)
		if err := rows.Scan(&at, &c.Count); err != nil {
			return nil, fmt.Errorf("approval counts: %w", err)
		}
		if c.At, err = time.Parse(hourLayout, at); err != nil {
			return nil, fmt.Errorf("approval counts: hour %q: %w", at, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("approval counts: %w", err)
	}
	return out, nil
}
