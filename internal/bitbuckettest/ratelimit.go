package bitbuckettest

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rateLimiter is the §10 per-user token bucket. It has its own lock so that
// it never contends with the state lock.
type rateLimiter struct {
	mu       sync.Mutex
	capacity float64 // 0: off
	refill   float64 // tokens per second
	buckets  map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// SetRateLimit turns on per-user rate limiting (§10): each user, and each
// project or repository token, gets a bucket of capacity requests refilled
// at refillPerSecond. Anonymous requests are not limited. A refused request
// gets 429 with Retry-After in seconds and a plain-text body (§16). Capacity
// 0 turns limiting off. Buckets start full whenever this is called.
func (s *Server) SetRateLimit(capacity int, refillPerSecond float64) {
	l := &s.limiter
	l.mu.Lock()
	defer l.mu.Unlock()
	l.capacity = float64(max(capacity, 0))
	l.refill = max(refillPerSecond, 0)
	l.buckets = nil
}

// take spends one request from key's bucket, or says how long until one is
// available.
func (l *rateLimiter) take(key string, at time.Time) (ok bool, retryAfter time.Duration) {
	if key == "" {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.capacity == 0 {
		return true, 0
	}
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	b, found := l.buckets[key]
	if !found {
		b = &bucket{tokens: l.capacity, last: at}
		l.buckets[key] = b
	}
	b.tokens = min(l.capacity, b.tokens+at.Sub(b.last).Seconds()*l.refill)
	b.last = at
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	if l.refill == 0 {
		return false, time.Hour // never refills; any honest answer is "a long time"
	}
	return false, time.Duration((1 - b.tokens) / l.refill * float64(time.Second))
}

// writeRateLimited answers 429. §16: the body is not the JSON envelope.
func writeRateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	secs := max(1, int(math.Ceil(retryAfter.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte("Rate limit exceeded. Retry after " + strconv.Itoa(secs) + " seconds.\n"))
}
