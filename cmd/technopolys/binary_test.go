package main_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/store/postgres/pgtest"
)

const adminToken = "crash-test-token-of-32-characters"

var binary string

// TestMain builds the real binary once for the tests that start it.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "technopolys-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "technopolys")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a running technopolys process.
type server struct {
	cmd  *exec.Cmd
	url  string
	logs *strings.Builder
	mu   *sync.Mutex
	done chan error
}

var (
	listening = regexp.MustCompile(`technopolys listening" addr=(\S+)`)
	joinedID  = regexp.MustCompile(`"id": (\d+)`)
)

// start runs the binary on db, with any more serve flags, and waits until
// it listens.
func start(t *testing.T, db string, flags ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, flags...)...)
	cmd.Env = append(os.Environ(), "TECHNOPOLYS_ADMIN_TOKEN="+adminToken, "TECHNOPOLYS_JOIN_LIMIT=0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, logs: &strings.Builder{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.mu.Lock()
			s.logs.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		s.done <- cmd.Wait()
	}()
	t.Cleanup(func() { cmd.Process.Kill() })
	select {
	case a := <-addr:
		s.url = "http://" + a
	case err := <-s.done:
		t.Fatalf("server exited: %v\n%s", err, s.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not start:\n%s", s.log())
	}
	return s
}

func (s *server) log() string { s.mu.Lock(); defer s.mu.Unlock(); return s.logs.String() }

// stores are the --db URLs the binary tests run against.
func stores(t *testing.T) map[string]func(t *testing.T) string {
	return map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "tp.db") },
		"postgres": func(t *testing.T) string { return pgtest.Schema(t) },
	}
}

// TestAcknowledgedJoinsSurviveKill9 sends 200 concurrent joins, kills the
// server with SIGKILL while they are in flight, restarts it on the same store
// and checks that every join that was answered 201 is there.
func TestAcknowledgedJoinsSurviveKill9(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			dbURL := db(t)
			s := start(t, dbURL)
			const joins = 200
			var (
				mu    sync.Mutex
				acked = map[string]string{} // id → name
				wg    sync.WaitGroup
				go_   = make(chan struct{})
			)
			client := &http.Client{Timeout: 20 * time.Second}
			for i := range joins {
				wg.Go(func() {
					<-go_
					name := fmt.Sprintf("Crash Co %d", i)
					body := fmt.Sprintf(`{"name":%q,"website":"https://crash-%d.example","contact_name":"M","contact_email":"m@crash-%d.example","region":"Laval","consent_public":true}`, name, i, i)
					res, err := client.Post(s.url+"/api/v1/members", "application/json", strings.NewReader(body))
					if err != nil {
						return // cut off by the kill: not acknowledged
					}
					defer res.Body.Close()
					b, err := io.ReadAll(res.Body)
					if err != nil || res.StatusCode != http.StatusCreated {
						return
					}
					id := joinedID.FindSubmatch(b)
					mu.Lock()
					acked[string(id[1])] = name
					n := len(acked)
					mu.Unlock()
					if n == joins/4 { // a quarter acknowledged: the rest are in flight
						s.cmd.Process.Signal(syscall.SIGKILL)
					}
				})
			}
			close(go_)
			wg.Wait()
			<-s.done
			if len(acked) < joins/4 {
				t.Fatalf("only %d joins acknowledged before the kill", len(acked))
			}
			t.Logf("%d of %d joins acknowledged before SIGKILL", len(acked), joins)

			again := start(t, dbURL)
			for id, name := range acked {
				req, _ := http.NewRequest("GET", again.url+"/api/v1/admin/members/"+id, nil)
				req.Header.Set("Authorization", "Bearer "+adminToken)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || !strings.Contains(string(b), name) {
					t.Errorf("acknowledged join %s (%s) lost after kill -9: %d %s", id, name, res.StatusCode, b)
				}
			}
		})
	}
}

// TestGracefulShutdown sends SIGTERM while a request is in flight: the
// request completes, the process exits 0 and closes the store.
func TestGracefulShutdown(t *testing.T) {
	s := start(t, "sqlite:"+filepath.Join(t.TempDir(), "tp.db"))
	// A slow client: the body arrives in two parts, around the signal.
	pr, pw := io.Pipe()
	result := make(chan int, 1)
	go func() {
		res, err := http.Post(s.url+"/api/v1/members", "application/json", pr)
		if err != nil {
			result <- 0
			return
		}
		res.Body.Close()
		result <- res.StatusCode
	}()
	pw.Write([]byte(`{"name":"Slow Co","website":"https://slow.example",`))
	time.Sleep(200 * time.Millisecond)
	s.cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(200 * time.Millisecond)
	pw.Write([]byte(`"contact_name":"M","contact_email":"m@slow.example","region":"Laval","consent_public":true}`))
	pw.Close()
	if code := <-result; code != http.StatusCreated {
		t.Fatalf("in-flight join answered %d during shutdown", code)
	}
	if err := <-s.done; err != nil {
		t.Fatalf("exit: %v\n%s", err, s.log())
	}
	if !strings.Contains(s.log(), "store closed") {
		t.Fatalf("store not closed:\n%s", s.log())
	}
}

// TestShutdownEndsOpenStreams: a stream never ends by itself, so SIGTERM
// must close it rather than wait out the 20-second grace period.
func TestShutdownEndsOpenStreams(t *testing.T) {
	s := start(t, "sqlite:"+filepath.Join(t.TempDir(), "tp.db"))
	res, err := http.Get(s.url + "/api/v1/stats/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	buf := make([]byte, 256)
	if _, err := res.Body.Read(buf); err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	s.cmd.Process.Signal(syscall.SIGTERM)
	if _, err := io.ReadAll(res.Body); err != nil && !strings.Contains(err.Error(), "EOF") {
		t.Logf("stream ended with %v", err)
	}
	if err := <-s.done; err != nil {
		t.Fatalf("exit: %v\n%s", err, s.log())
	}
	if took := time.Since(sent); took > 10*time.Second {
		t.Errorf("shutdown with an open stream took %s", took)
	}
}
