package console

import (
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// TestWeeksAcrossTheClockChange: weeks start on Monday in Québec, and an
// approval late on a Sunday evening (already Monday in UTC) counts in its
// Québec week, across the return to standard time (1 November 2026), when
// a week is 169 hours long.
func TestWeeksAcrossTheClockChange(t *testing.T) {
	at := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, locale.Zone)
		if err != nil {
			t.Fatal(err)
		}
		return d.UTC().Truncate(time.Hour)
	}
	if got := monday(at("2026-11-08 23:30")); !got.Equal(at("2026-11-02 00:00")) {
		t.Errorf("Sunday 8 November's Monday: %v", got)
	}
	hours := []registry.TimeCount{
		{At: at("2026-01-05 10:00"), Count: 7}, // before the 26 weeks: the base
		{At: at("2026-10-25 23:00"), Count: 1}, // Sunday before the change
		{At: at("2026-11-01 23:00"), Count: 2}, // Sunday of the change
		{At: at("2026-11-02 00:00"), Count: 4}, // Monday after it
		{At: at("2026-11-30 09:00"), Count: 3}, // this week
	}
	var v figuresView
	v.weeks(locale.FR, hours, at("2026-12-01 10:00"))
	rows := v.WeekRow
	if len(rows) != figureWeeks {
		t.Fatalf("%d weeks", len(rows))
	}
	want := map[string]int{"19\u00a0octobre 2026": 1, "26\u00a0octobre 2026": 2, "2\u00a0novembre 2026": 4, "30\u00a0novembre 2026": 3}
	for _, r := range rows {
		if r.Approved != want[r.Week] {
			t.Errorf("week of %s: %d approvals, want %d", r.Week, r.Approved, want[r.Week])
		}
	}
	if last := rows[len(rows)-1]; last.Members != 17 {
		t.Errorf("members now: %d, want 17", last.Members)
	}
}
