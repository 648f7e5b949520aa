package counter

import (
	"crypto/rand"
	"crypto/sha256"
	"strings"
	"sync"
	"time"
)

// VisitGap is how long a visitor must be away for the next hit to start a
// new visit.
const VisitGap = 30 * time.Minute

// botMarks are substrings (lower case) of the User-Agents of crawlers,
// monitors and scripts, none of which is a reader.
var botMarks = []string{
	"bot", "crawl", "spider", "slurp", "curl", "wget", "python-requests",
	"python-urllib", "aiohttp", "httpx", "go-http-client", "okhttp", "java/",
	"libwww", "headlesschrome", "phantomjs", "lighthouse", "pagespeed",
	"pingdom", "uptime", "monitor", "scrapy", "facebookexternalhit", "feedfetcher",
	"feed", "preview", "archiver", "httpclient", "node-fetch", "axios", "zgrab",
	"masscan", "nmap", "nikto", "sqlmap", "mediapartners", "bingpreview",
}

// IsBot reports whether a User-Agent is a crawler's or a script's; an
// empty one is, since every browser sends one.
func IsBot(ua string) bool {
	ua = strings.TrimSpace(ua)
	if ua == "" || ua == "-" {
		return true
	}
	ua = strings.ToLower(ua)
	for _, m := range botMarks {
		if strings.Contains(ua, m) {
			return true
		}
	}
	return false
}

// DateOf returns t's date in loc, as the store keys days.
func DateOf(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.DateOnly)
}

// visitorID is a salted hash of a visitor's address and User-Agent.
type visitorID [16]byte

// Tracker tells a visit's first hit from the rest. A visitor is known only
// by a hash of a secret salt, the address and the User-Agent; the salt is
// random, held in memory and replaced every day, so that nothing in memory
// links one day's visitors to the next day's and nothing of them is ever
// written anywhere.
type Tracker struct {
	loc *time.Location

	mu        sync.Mutex
	date      string   // the date the salt is for
	salt      [32]byte // today's
	prev      [32]byte // yesterday's, for visits across midnight
	hasPrev   bool
	rotated   time.Time // when the salt was last replaced
	last      map[visitorID]time.Time
	lastSweep time.Time
}

// NewTracker returns a Tracker that rotates its salt at midnight in loc.
func NewTracker(loc *time.Location) *Tracker {
	return &Tracker{loc: loc, last: map[visitorID]time.Time{}}
}

func (t *Tracker) id(salt *[32]byte, ip, ua string) visitorID {
	h := sha256.New()
	h.Write(salt[:])
	h.Write([]byte(ip))
	h.Write([]byte{0})
	h.Write([]byte(ua))
	var id visitorID
	copy(id[:], h.Sum(nil))
	return id
}

// Hit records a hit at now from ip with User-Agent ua and reports whether
// it starts a visit: whether that visitor made no hit in the VisitGap
// before it.
func (t *Tracker) Hit(now time.Time, ip, ua string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if d := DateOf(now, t.loc); d != t.date {
		t.prev, t.hasPrev = t.salt, t.date != ""
		rand.Read(t.salt[:])
		t.date, t.rotated = d, now
	}
	if t.hasPrev && now.Sub(t.rotated) >= VisitGap {
		// Nobody can still be in a visit that began under it.
		t.prev, t.hasPrev = [32]byte{}, false
	}
	if now.Sub(t.lastSweep) > time.Minute {
		t.sweep(now)
	}
	id := t.id(&t.salt, ip, ua)
	last, seen := t.last[id]
	if !seen && t.hasPrev {
		// Carry a visitor seen before midnight over to today's salt.
		old := t.id(&t.prev, ip, ua)
		if last, seen = t.last[old]; seen {
			delete(t.last, old)
		}
	}
	visit := !seen || now.Sub(last) >= VisitGap
	if !seen || now.After(last) {
		t.last[id] = now
	}
	return visit
}

// sweep forgets visitors gone for longer than the gap, so that memory
// holds only the last half hour's visitors.
func (t *Tracker) sweep(now time.Time) {
	for id, last := range t.last {
		if now.Sub(last) >= VisitGap {
			delete(t.last, id)
		}
	}
	t.lastSweep = now
}

// Len returns how many visitors the tracker holds.
func (t *Tracker) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.last)
}
