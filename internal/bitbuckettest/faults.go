package bitbuckettest

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fault is a failure to inject into matching requests.
type Fault struct {
	Method     string        // "" = any
	Route      string        // route template as in the request log, "" = any
	Status     int           // 500, 502, 503; 0 = no status fault
	Drop       bool          // close the connection without a reply
	Delay      time.Duration // added latency
	AfterApply bool          // let the handler apply the change, then replace the reply by the fault
}

func (f Fault) matches(method, route string) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, method)) && (f.Route == "" || f.Route == route)
}

// replaces says whether the fault replaces the reply (a Delay alone does not).
func (f Fault) replaces() bool { return f.Status != 0 || f.Drop }

// faultInjector holds the scripted and random faults, under its own lock.
type faultInjector struct {
	mu     sync.Mutex
	script []Fault
	share  float64
	random Fault
}

// ScriptFaults makes the next matching requests fail with these faults, in
// order, once each: each request takes the first pending fault that matches
// it. It replaces any faults still pending; call it with none to clear.
func (s *Server) ScriptFaults(faults ...Fault) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.script = append([]Fault(nil), faults...)
}

// SetFaultRate makes a random share (0 to 1) of the requests that f matches
// fail with f. A share of 0 turns it off. Scripted faults take precedence.
func (s *Server) SetFaultRate(share float64, f Fault) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.share = min(max(share, 0), 1)
	s.faults.random = f
}

// pick returns the fault for this request, if any.
func (fi *faultInjector) pick(method, route string) (Fault, bool) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	for i, f := range fi.script {
		if f.matches(method, route) {
			fi.script = append(fi.script[:i], fi.script[i+1:]...)
			return f, true
		}
	}
	if fi.share > 0 && fi.random.matches(method, route) && rand.Float64() < fi.share {
		return fi.random, true
	}
	return Fault{}, false
}

// strike sends the fault instead of the real reply. A 500 looks like
// Bitbucket's own error; 502 and 503 look like a proxy in front of it.
func strike(w http.ResponseWriter, r *http.Request, f Fault) {
	if f.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // HTTP/2 or a wrapped writer: abort the stream instead
	}
	if f.Status == http.StatusInternalServerError {
		writeError(w, r, &apiError{status: f.Status, exception: exServer, message: "Injected fault (bitbuckettest)."})
		return
	}
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(http.StatusText(f.Status) + " (injected by bitbuckettest)\n"))
}

// sleep waits d unless the client goes away first.
func sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// discardWriter swallows the real reply of a request whose fault strikes
// after the change is applied.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
