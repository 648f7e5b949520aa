// Package catalog computes the figures that the programme reports from the
// records themselves, never from typed totals: banners and panels per
// district and zone, programmes, airings and minutes per station, issues
// and copies per publication and year, the schedule of airings, and the
// documents by year and by type.
package catalog

import (
	"sort"
	"time"

	"sxsh/generator/content"
)

// Catalog is every computed figure of one language of the site.
type Catalog struct {
	Banners     Banners
	Broadcasts  Stations
	Newsletters Publications
	// Upcoming are the airings after the build time, soonest first; Past
	// the others, latest first.
	Upcoming, Past []Airing
	// LatestIssue is the newest newsletter issue, or nil.
	LatestIssue *content.Page
	Documents   Documents
}

// Documents groups the documents (văn bản) for the list page's two ways
// in: by the year they were issued and by their type.
type Documents struct {
	Total int
	Years []DocumentYear // newest first
	Types []DocumentType // in the order of content.DocTypes
}

// FirstYear is the year the oldest document was issued, 0 for none.
func (d Documents) FirstYear() int {
	if len(d.Years) == 0 {
		return 0
	}
	return d.Years[len(d.Years)-1].Year
}

// LastYear is the year the newest document was issued, 0 for none.
func (d Documents) LastYear() int {
	if len(d.Years) == 0 {
		return 0
	}
	return d.Years[0].Year
}

// DocumentYear holds the documents issued in one year, newest first.
type DocumentYear struct {
	Year  int
	Items []*content.Page
}

// DocumentType holds the documents of one type, newest first.
type DocumentType struct {
	Type  content.DocType
	Items []*content.Page
}

// NextAiring returns the soonest upcoming airing, or nil.
func (c *Catalog) NextAiring() *Airing {
	if len(c.Upcoming) == 0 {
		return nil
	}
	return &c.Upcoming[0]
}

// Banners totals the banner catalogue.
type Banners struct {
	Districts  []District
	Banners    int // banners in all
	Panels     int // panels in all
	Placements int // catalogue entries
}

// District totals one district's placements, and its zones'.
type District struct {
	Name            string
	Banners, Panels int
	Zones           []Zone
}

// Zone totals the placements in one industrial zone or cluster; the zone
// with an empty Name is the district's centre.
type Zone struct {
	Name            string
	Banners, Panels int
	Items           []*content.Page
}

// Stations totals the broadcasts.
type Stations struct {
	Stations                     []Station
	Programmes, Airings, Minutes int
}

// Station totals one station's programmes.
type Station struct {
	Name, Medium                 string
	Programmes, Airings, Minutes int
	Items                        []*content.Page
}

// Airing is one airing of a programme.
type Airing struct {
	Time time.Time
	Page *content.Page
}

// Publications totals the newsletters.
type Publications struct {
	Publications   []Publication
	Issues, Copies int
}

// Publication totals one publication's issues, by year.
type Publication struct {
	Name           string
	Issues, Copies int
	Years          []Year // newest first
}

// Year totals a publication's issues of one year.
type Year struct {
	Year           int
	Issues, Copies int
	Items          []*content.Page // by issue number
}

// Build computes the catalogue of the pages of one language. districts
// gives the order districts are listed in (site.toml's); districts not in
// it follow by name.
func Build(pages []*content.Page, lang string, districts []string, now time.Time) *Catalog {
	c := &Catalog{}
	order := map[string]int{}
	for i, d := range districts {
		order[d] = i + 1
	}
	dist := map[string]*District{}
	stations := map[string]*Station{}
	pubs := map[string]*Publication{}
	for _, p := range pages {
		if p.Kind != content.KindSingle || p.Lang != lang {
			continue
		}
		switch {
		case p.Banner != nil:
			b := p.Banner
			d := dist[b.District]
			if d == nil {
				d = &District{Name: b.District}
				dist[b.District] = d
			}
			z := zoneOf(d, b.Zone)
			z.Items = append(z.Items, p)
			c.Banners.Placements++
			if b.Form == content.FormPanel {
				d.Panels += b.Quantity
				z.Panels += b.Quantity
				c.Banners.Panels += b.Quantity
			} else {
				d.Banners += b.Quantity
				z.Banners += b.Quantity
				c.Banners.Banners += b.Quantity
			}
		case p.Broadcast != nil:
			b := p.Broadcast
			s := stations[b.Station]
			if s == nil {
				s = &Station{Name: b.Station, Medium: b.Medium}
				stations[b.Station] = s
			}
			s.Programmes++
			s.Airings += len(b.Times)
			s.Minutes += b.Minutes()
			s.Items = append(s.Items, p)
			c.Broadcasts.Programmes++
			c.Broadcasts.Airings += len(b.Times)
			c.Broadcasts.Minutes += b.Minutes()
			for _, t := range b.Times {
				a := Airing{Time: t, Page: p}
				if t.After(now) {
					c.Upcoming = append(c.Upcoming, a)
				} else {
					c.Past = append(c.Past, a)
				}
			}
		case p.Document != nil:
			d := p.Document
			c.Documents.Total++
			y := docYearOf(&c.Documents, d.IssuedOn.Year())
			y.Items = append(y.Items, p)
			t := docTypeOf(&c.Documents, d.Type)
			t.Items = append(t.Items, p)
		case p.Newsletter != nil:
			n := p.Newsletter
			pub := pubs[n.Publication]
			if pub == nil {
				pub = &Publication{Name: n.Publication}
				pubs[n.Publication] = pub
			}
			y := yearOf(pub, p.Date.Year())
			y.Issues++
			y.Copies += n.Copies
			y.Items = append(y.Items, p)
			pub.Issues++
			pub.Copies += n.Copies
			c.Newsletters.Issues++
			c.Newsletters.Copies += n.Copies
			if c.LatestIssue == nil || p.Date.After(c.LatestIssue.Date) {
				c.LatestIssue = p
			}
		}
	}
	for _, d := range dist {
		sort.Slice(d.Zones, func(i, j int) bool {
			if (d.Zones[i].Name == "") != (d.Zones[j].Name == "") {
				return d.Zones[i].Name == "" // the district centre first
			}
			return d.Zones[i].Name < d.Zones[j].Name
		})
		for _, z := range d.Zones {
			sort.Slice(z.Items, func(i, j int) bool { return z.Items[i].Banner.Date.Before(z.Items[j].Banner.Date) })
		}
		c.Banners.Districts = append(c.Banners.Districts, *d)
	}
	sort.Slice(c.Banners.Districts, func(i, j int) bool {
		a, b := c.Banners.Districts[i], c.Banners.Districts[j]
		oa, ob := order[a.Name], order[b.Name]
		if oa == 0 {
			oa = len(order) + 1
		}
		if ob == 0 {
			ob = len(order) + 1
		}
		if oa != ob {
			return oa < ob
		}
		return a.Name < b.Name
	})
	for _, s := range stations {
		sort.Slice(s.Items, func(i, j int) bool { return s.Items[i].Broadcast.Episode < s.Items[j].Broadcast.Episode })
		c.Broadcasts.Stations = append(c.Broadcasts.Stations, *s)
	}
	sort.Slice(c.Broadcasts.Stations, func(i, j int) bool {
		a, b := c.Broadcasts.Stations[i], c.Broadcasts.Stations[j]
		if a.Minutes != b.Minutes {
			return a.Minutes > b.Minutes
		}
		return a.Name < b.Name
	})
	sort.Slice(c.Upcoming, func(i, j int) bool { return c.Upcoming[i].Time.Before(c.Upcoming[j].Time) })
	sort.Slice(c.Past, func(i, j int) bool { return c.Past[i].Time.After(c.Past[j].Time) })
	sortDocuments(&c.Documents)
	for _, pub := range pubs {
		sort.Slice(pub.Years, func(i, j int) bool { return pub.Years[i].Year > pub.Years[j].Year })
		for _, y := range pub.Years {
			sort.Slice(y.Items, func(i, j int) bool { return y.Items[i].Newsletter.Issue < y.Items[j].Newsletter.Issue })
		}
		c.Newsletters.Publications = append(c.Newsletters.Publications, *pub)
	}
	sort.Slice(c.Newsletters.Publications, func(i, j int) bool {
		return c.Newsletters.Publications[i].Name < c.Newsletters.Publications[j].Name
	})
	return c
}

// entryOf returns the entry of list that key names, appending one made by
// add when there is none: the catalogue's groups are found or started
// this way, in the order they are first met.
func entryOf[T any, K comparable](list *[]T, key func(*T) K, k K, add func() T) *T {
	for i := range *list {
		if key(&(*list)[i]) == k {
			return &(*list)[i]
		}
	}
	*list = append(*list, add())
	return &(*list)[len(*list)-1]
}

func zoneOf(d *District, name string) *Zone {
	return entryOf(&d.Zones, func(z *Zone) string { return z.Name }, name, func() Zone { return Zone{Name: name} })
}

func yearOf(p *Publication, year int) *Year {
	return entryOf(&p.Years, func(y *Year) int { return y.Year }, year, func() Year { return Year{Year: year} })
}

func docYearOf(d *Documents, year int) *DocumentYear {
	return entryOf(&d.Years, func(y *DocumentYear) int { return y.Year }, year, func() DocumentYear { return DocumentYear{Year: year} })
}

func docTypeOf(d *Documents, t content.DocType) *DocumentType {
	return entryOf(&d.Types, func(y *DocumentType) string { return y.Type.Key }, t.Key, func() DocumentType { return DocumentType{Type: t} })
}

// sortDocuments orders the years newest first, the types as DocTypes
// lists them, and the documents of each newest first, by number among
// those of one day, so that the order never depends on the files'.
func sortDocuments(d *Documents) {
	rank := map[string]int{}
	for i, t := range content.DocTypes() {
		rank[t.Key] = i
	}
	newest := func(items []*content.Page) {
		sort.Slice(items, func(i, j int) bool {
			a, b := items[i].Document, items[j].Document
			if !a.IssuedOn.Equal(b.IssuedOn) {
				return a.IssuedOn.After(b.IssuedOn)
			}
			if a.Number != b.Number {
				return a.Number < b.Number
			}
			return items[i].Path < items[j].Path
		})
	}
	sort.Slice(d.Years, func(i, j int) bool { return d.Years[i].Year > d.Years[j].Year })
	for _, y := range d.Years {
		newest(y.Items)
	}
	sort.Slice(d.Types, func(i, j int) bool { return rank[d.Types[i].Type.Key] < rank[d.Types[j].Type.Key] })
	for _, t := range d.Types {
		newest(t.Items)
	}
}
