package counter

import (
	"sync"
	"time"
)

// Limiter is a token bucket per client address: each address may make
// Burst requests at once and Rate a second after that.
type Limiter struct {
	rate  float64
	burst float64

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter returns a Limiter of rate requests a second with bursts of
// burst.
func NewLimiter(rate float64, burst int) *Limiter {
	return &Limiter{rate: rate, burst: float64(burst), buckets: map[string]*bucket{}}
}

// Allow takes a token from addr's bucket at now and reports whether there
// was one.
func (l *Limiter) Allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute {
		// A bucket that has refilled is the same as no bucket.
		full := time.Duration(l.burst / l.rate * float64(time.Second))
		for a, b := range l.buckets {
			if now.Sub(b.at) > full {
				delete(l.buckets, a)
			}
		}
		l.lastSweep = now
	}
	b := l.buckets[addr]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[addr] = b
	}
	if el := now.Sub(b.at).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
		b.at = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
