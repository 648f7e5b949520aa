package counter

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteStats writes, as plain text for a report, the totals, the visits
// and views of each of the last days days up to now's date, and the most
// viewed pages of those days.
func WriteStats(w io.Writer, s Store, now time.Time, loc *time.Location, days, top int) error {
	if loc == nil {
		loc = time.Local
	}
	days = max(days, 1)
	to := DateOf(now, loc)
	from := DateOf(now.In(loc).AddDate(0, 0, 1-days), loc)
	offset, err := s.Offset()
	if err != nil {
		return err
	}
	c, err := s.Counts(to, "")
	if err != nil {
		return err
	}
	list, err := s.Days(from, to)
	if err != nil {
		return err
	}
	pages, err := s.TopPages(from, to, top)
	if err != nil {
		return err
	}
	byDate := make(map[string]Day, len(list))
	var visits, views int64
	for _, d := range list {
		byDate[d.Date] = d
		visits += d.Visits
		views += d.Views
	}
	fmt.Fprintf(w, "Visits, all time: %d (%d counted, %d before the counter)\n", c.Total, c.Total-offset, offset)
	fmt.Fprintf(w, "Last %d %s, %s to %s: %d visits, %d page views\n\n", days, plural(days, "day", "days"), from, to, visits, views)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Date\tVisits\tViews\t")
	// Every day is listed, the empty ones too, so that a gap shows.
	for d := now.In(loc); DateOf(d, loc) >= from; d = d.AddDate(0, 0, -1) {
		day := byDate[DateOf(d, loc)]
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", DateOf(d, loc), day.Visits, day.Views)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nTop pages, last %d %s:\n", days, plural(days, "day", "days"))
	if len(pages) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, p := range pages {
		fmt.Fprintf(tw, "%8d\t%s\n", p.Views, p.Path)
	}
	return tw.Flush()
}
