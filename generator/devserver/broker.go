package devserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultHeartbeat is how often an idle event stream gets a comment line, so
// that proxies and browsers do not close it and a vanished reader is noticed.
const DefaultHeartbeat = 15 * time.Second

// Event is one server-sent event.
type Event struct {
	Name string // "reload", "error" or "hello"
	Data string // may span lines
}

// Broker hands events to the browsers that hold an event stream open, as
// text/event-stream. Each browser first gets a "hello" event naming the last
// build it could have missed, so that a reconnecting page (after the
// connection dropped during a rebuild) can tell that it is out of date.
type Broker struct {
	heartbeat time.Duration
	epoch     string

	mu      sync.Mutex
	seq     int
	clients map[chan Event]struct{}
}

// NewBroker returns a broker whose streams carry a comment every heartbeat;
// zero means DefaultHeartbeat.
func NewBroker(heartbeat time.Duration) *Broker {
	if heartbeat <= 0 {
		heartbeat = DefaultHeartbeat
	}
	return &Broker{
		heartbeat: heartbeat,
		// Distinguishes one run of the server from the next, so that a page
		// left open across a restart reloads too.
		epoch:   strconv.FormatInt(time.Now().UnixNano(), 36),
		clients: map[chan Event]struct{}{},
	}
}

// Publish sends an event to every connected browser. A browser that has not
// taken its previous events yet misses this one rather than holding up the
// others; the next hello tells it that it is behind.
func (b *Broker) Publish(name, data string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	ev := Event{Name: name, Data: data}
	for c := range b.clients {
		select {
		case c <- ev:
		default:
		}
	}
}

// Clients returns the number of open event streams.
func (b *Broker) Clients() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.clients)
}

func (b *Broker) subscribe() (chan Event, string) {
	c := make(chan Event, 8)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.clients[c] = struct{}{}
	return c, b.epoch + "-" + strconv.Itoa(b.seq)
}

func (b *Broker) unsubscribe(c chan Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.clients, c)
}

// ServeHTTP holds an event stream open until the browser goes away or the
// request's context ends (the server shutting down).
func (b *Broker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rc := http.NewResponseController(w)
	c, state := b.subscribe()
	defer b.unsubscribe(c)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// The browser waits this long before reconnecting after a drop.
	if !b.write(w, rc, "retry: 1000\n"+format(Event{Name: "hello", Data: state})) {
		return
	}
	tick := time.NewTicker(b.heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev := <-c:
			if !b.write(w, rc, format(ev)) {
				return
			}
		case <-tick.C:
			if !b.write(w, rc, ": heartbeat\n\n") {
				return
			}
		}
	}
}

func (b *Broker) write(w http.ResponseWriter, rc *http.ResponseController, s string) bool {
	if _, err := fmt.Fprint(w, s); err != nil {
		return false
	}
	return rc.Flush() == nil
}

// format writes ev in the text/event-stream framing: one data line per line
// of text, since a bare newline would end the event early.
func format(ev Event) string {
	var sb strings.Builder
	sb.WriteString("event: ")
	sb.WriteString(ev.Name)
	sb.WriteByte('\n')
	data := strings.ReplaceAll(ev.Data, "\r\n", "\n")
	data = strings.ReplaceAll(data, "\r", "\n")
	for _, line := range strings.Split(data, "\n") {
		sb.WriteString("data: ")
		sb.WriteString(line)
		sb.WriteByte('\n')
	}
	sb.WriteByte('\n')
	return sb.String()
}
