package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/mail"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	mailsender "github.com/technopolys/technopolys/internal/mail"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/store/postgres"
	"github.com/technopolys/technopolys/internal/store/sqlite"
	"github.com/technopolys/technopolys/internal/web"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = ""

const usage = `usage:
  technopolys                       same as "technopolys serve"
  technopolys serve [flags]         serve the site, badges and APIs
  technopolys backup [--db URL] FILE  write a consistent copy of the SQLite store
  technopolys staff add|link|list|disable  staff accounts of the console ("technopolys staff" for more)
  technopolys version               print the version
Every flag also reads its TECHNOPOLYS_* variable; "technopolys serve -h" lists them.
`

// run is the whole program, testable end to end: arguments, environment and
// output are passed in; it returns when ctx ends (serve) or the command is done.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "backup":
		return backup(ctx, args, getenv, stderr)
	case "staff":
		return staff(ctx, args, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "technopolys", versionString())
		return nil
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// config is the serve command's settings.
type config struct {
	addr, db, publicURL, adminToken string
	joinLimit, joinBurst            int
	trusted                         []netip.Prefix
	logLevel                        slog.Level
	cacheBytes                      int64
	renders                         int
	streamsPerIP, maxStreams        int
	metricsAddr                     string
	hsts                            bool
	issuerEmail                     string
	retention                       time.Duration
	smtp                            *mailsender.Transport // nil: mail stays in the outbox
	mailFrom                        string
}

// memoryBeyondCache is the heap allowed beyond the image cache's budget
// before the garbage collector works harder: requests, streams, the store's
// buffers.
const memoryBeyondCache = 192 << 20

// MinAdminToken is the shortest admin token accepted: a generated one has
// 26 characters of base32, 130 bits.
const MinAdminToken = 24

// env returns the variable's value, or def when it is unset.
func env(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

func parseServe(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", env(getenv, "TECHNOPOLYS_ADDR", ":8080"), "listen address (TECHNOPOLYS_ADDR)")
	fs.StringVar(&c.db, "db", env(getenv, "TECHNOPOLYS_DB", "sqlite:technopolys.db"), "store: sqlite:FILE or postgres://… (TECHNOPOLYS_DB)")
	fs.StringVar(&c.publicURL, "public-url", getenv("TECHNOPOLYS_PUBLIC_URL"), "URL visitors use, for links and QR codes (TECHNOPOLYS_PUBLIC_URL; default http://localhost:PORT)")
	limit := fs.String("join-limit", env(getenv, "TECHNOPOLYS_JOIN_LIMIT", strconv.Itoa(web.DefaultJoinLimit)), "joins per client IP per hour, 0 for no limit (TECHNOPOLYS_JOIN_LIMIT)")
	burst := fs.String("join-burst", env(getenv, "TECHNOPOLYS_JOIN_BURST", "0"), "joins one client IP may send at once; 0 for a quarter of --join-limit (TECHNOPOLYS_JOIN_BURST)")
	cacheBytes := fs.String("cache-bytes", env(getenv, "TECHNOPOLYS_CACHE_BYTES", "256MiB"), "memory for rendered images, e.g. 256MiB or 1GiB (TECHNOPOLYS_CACHE_BYTES)")
	renders := fs.String("renders", env(getenv, "TECHNOPOLYS_RENDERS", "0"), "images drawn at once; 0 for the number of CPUs (TECHNOPOLYS_RENDERS)")
	perIP := fs.String("max-streams-per-ip", env(getenv, "TECHNOPOLYS_MAX_STREAMS_PER_IP", strconv.Itoa(web.DefaultStreamsPerClient)), "open event streams per client IP (TECHNOPOLYS_MAX_STREAMS_PER_IP)")
	maxStreams := fs.String("max-streams", env(getenv, "TECHNOPOLYS_MAX_STREAMS", "0"), "open event streams in all; 0 for below the open-file limit (TECHNOPOLYS_MAX_STREAMS)")
	fs.StringVar(&c.metricsAddr, "metrics-addr", getenv("TECHNOPOLYS_METRICS_ADDR"), "separate listener for /metrics, e.g. 127.0.0.1:9090; off by default (TECHNOPOLYS_METRICS_ADDR)")
	hsts := fs.String("hsts", getenv("TECHNOPOLYS_HSTS"), "send Strict-Transport-Security: true or false; default true when the public URL is https (TECHNOPOLYS_HSTS)")
	trusted := fs.String("trusted-proxy", getenv("TECHNOPOLYS_TRUSTED_PROXY"), "comma-separated CIDRs of proxies whose X-Forwarded-For is believed (TECHNOPOLYS_TRUSTED_PROXY)")
	fs.StringVar(&c.issuerEmail, "issuer-email", getenv("TECHNOPOLYS_ISSUER_EMAIL"), "Open Badges issuer's contact address (TECHNOPOLYS_ISSUER_EMAIL; default badges@ the public URL's host)")
	retention := fs.String("retention", env(getenv, "TECHNOPOLYS_RETENTION", "90"), "days (or a duration such as 2160h) the contact of a rejected request, or of a pending one never confirmed, is kept before it is erased (TECHNOPOLYS_RETENTION)")
	// The SMTP URL's default is not shown by -h: it holds a password.
	smtpURL := fs.String("smtp-url", "", "SMTP server for the outbox: smtp://user:pass@host:587 (STARTTLS), smtps://user:pass@host:465 (TLS) or smtp://host:25?tls=none (plain, local relay only); unset, mail stays in the outbox (TECHNOPOLYS_SMTP_URL, preferred: a flag shows in the process list)")
	fs.StringVar(&c.mailFrom, "mail-from", getenv("TECHNOPOLYS_MAIL_FROM"), "From address of the mail sent to members, e.g. \"technopolys <membres@technopolys.quebec>\"; required with --smtp-url (TECHNOPOLYS_MAIL_FROM)")
	level := fs.String("log-level", env(getenv, "TECHNOPOLYS_LOG_LEVEL", "info"), "debug, info, warn or error (TECHNOPOLYS_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	var err error
	if c.joinLimit, err = strconv.Atoi(*limit); err != nil || c.joinLimit < 0 {
		return c, fmt.Errorf("--join-limit: %q is not a whole number of joins", *limit)
	}
	for _, n := range []struct {
		name, value string
		into        *int
	}{{"join-burst", *burst, &c.joinBurst}, {"renders", *renders, &c.renders}, {"max-streams-per-ip", *perIP, &c.streamsPerIP}, {"max-streams", *maxStreams, &c.maxStreams}} {
		if *n.into, err = strconv.Atoi(n.value); err != nil || *n.into < 0 {
			return c, fmt.Errorf("--%s: %q is not a whole number", n.name, n.value)
		}
	}
	if c.cacheBytes, err = parseBytes(*cacheBytes); err != nil {
		return c, fmt.Errorf("--cache-bytes: %w", err)
	}
	if c.hsts, err = parseHSTS(*hsts, c.publicURL); err != nil {
		return c, fmt.Errorf("--hsts: %w", err)
	}
	for _, cidr := range strings.FieldsFunc(*trusted, func(r rune) bool { return r == ',' || r == ' ' }) {
		p, err := netip.ParsePrefix(cidr)
		if err != nil {
			return c, fmt.Errorf("--trusted-proxy: %w", err)
		}
		c.trusted = append(c.trusted, p.Masked())
	}
	if c.retention, err = parseRetention(*retention); err != nil {
		return c, fmt.Errorf("--retention: %w", err)
	}
	if err := c.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return c, fmt.Errorf("--log-level: %w", err)
	}
	if err := c.parseMail(*smtpURL, getenv); err != nil {
		return c, err
	}
	if err := checkIssuerEmail(c.issuerEmail); err != nil {
		return c, fmt.Errorf("--issuer-email: %w", err)
	}
	c.adminToken = getenv("TECHNOPOLYS_ADMIN_TOKEN")
	if err := checkAdminToken(c.adminToken); err != nil {
		return c, err
	}
	return c, nil
}

// parseMail reads --smtp-url (else TECHNOPOLYS_SMTP_URL) and --mail-from:
// a sender needs both.
func (c *config) parseMail(flagURL string, getenv func(string) string) error {
	raw := env(getenv, "TECHNOPOLYS_SMTP_URL", "")
	if flagURL != "" {
		raw = flagURL
	}
	if raw == "" {
		return nil
	}
	t, err := mailsender.ParseURL(raw)
	if err != nil {
		return fmt.Errorf("--smtp-url: %w", err)
	}
	c.smtp = &t
	if c.mailFrom == "" {
		return errors.New("--mail-from (TECHNOPOLYS_MAIL_FROM) is required with --smtp-url: the address members see the mail come from")
	}
	if _, err := mail.ParseAddress(c.mailFrom); err != nil {
		return fmt.Errorf("--mail-from: %q is not an address such as \"technopolys <membres@technopolys.quebec>\"", c.mailFrom)
	}
	return nil
}

// checkAdminToken refuses a configured token that is short, or that holds
// spaces or control characters (a trailing newline from a file), which no
// Authorization header could carry back, locking everyone out.
func checkAdminToken(tok string) error {
	switch {
	case tok == "":
		return nil // one is generated
	case strings.IndexFunc(tok, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0:
		return errors.New("TECHNOPOLYS_ADMIN_TOKEN holds a space or control character (a trailing newline?): use printable characters only")
	case len(tok) < MinAdminToken:
		return fmt.Errorf("TECHNOPOLYS_ADMIN_TOKEN has %d bytes: at least %d are needed (or leave it unset for a generated one)", len(tok), MinAdminToken)
	}
	return nil
}

// checkIssuerEmail refuses anything but a bare address (no display name, no
// angle brackets): it is published as is in the issuer Profile.
func checkIssuerEmail(v string) error {
	if v == "" {
		return nil // derived from the public URL
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Name != "" || a.Address != v {
		return fmt.Errorf("%q is not an email address such as badges@technopolys.quebec", v)
	}
	return nil
}

// parseBytes reads a byte count: 268435456, 256MiB, 512KiB, 1GiB (or MB,
// KB, GB, taken as the same binary multiples).
func parseBytes(s string) (int64, error) {
	num := strings.TrimRight(s, "KMGiBkmgib ")
	unit := strings.ToLower(strings.TrimSpace(s[len(num):]))
	mult := map[string]int64{"": 1, "b": 1, "kib": 1 << 10, "kb": 1 << 10, "k": 1 << 10, "mib": 1 << 20, "mb": 1 << 20, "m": 1 << 20,
		"gib": 1 << 30, "gb": 1 << 30, "g": 1 << 30}[unit]
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || mult == 0 || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("%q is not a size such as 256MiB", s)
	}
	return n * mult, nil
}

// parseRetention reads a retention period: a whole number of days (90) or
// a Go duration (2160h, 36h30m), at least an hour.
func parseRetention(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if n, nerr := strconv.Atoi(s); nerr == nil {
		d, err = time.Duration(n)*24*time.Hour, nil
		if n > 100*365 {
			err = errors.New("too long")
		}
	}
	if err != nil || d < time.Hour {
		return 0, fmt.Errorf("%q is not a number of days such as 90, nor a duration of an hour or more such as 2160h", s)
	}
	return d, nil
}

// parseHSTS reads --hsts; unset, it follows the public URL's scheme.
func parseHSTS(v, publicURL string) (bool, error) {
	if v == "" {
		return strings.HasPrefix(publicURL, "https://"), nil
	}
	return strconv.ParseBool(v)
}

// isPostgres reports whether a --db URL names PostgreSQL; anything else is a
// SQLite file.
func isPostgres(dbURL string) bool {
	return strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://")
}

// openStore opens the store a --db URL names; log hears of each failed
// attempt to reach PostgreSQL.
func openStore(ctx context.Context, dbURL string, log *slog.Logger) (registry.Store, error) {
	if isPostgres(dbURL) {
		return postgres.Open(ctx, dbURL, nil, postgres.WithLog(log))
	}
	return sqlite.Open(ctx, sqlite.Path(dbURL), nil)
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseServe(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: c.logLevel}))
	if getenv("GOMEMLIMIT") == "" {
		// The image cache is most of the heap; past it plus room for the
		// rest, the collector works harder instead of letting garbage
		// double the process's memory.
		debug.SetMemoryLimit(c.cacheBytes + memoryBeyondCache)
	}
	store, err := openStore(ctx, c.db, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("close store", "err", err)
		}
		log.Info("store closed")
	}()
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	if c.publicURL == "" {
		c.publicURL = "http://localhost:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	}
	if c.issuerEmail == "" {
		c.issuerEmail = web.DefaultIssuerEmail(c.publicURL)
		log.Info("Open Badges issuer email derived from the public URL; set --issuer-email to an address someone reads: the privacy notice gives it as the privacy officer's", "issuer_email", c.issuerEmail)
	}
	generated := c.adminToken == ""
	if generated {
		c.adminToken = rand.Text()
	}
	h, err := web.New(store, web.Config{PublicURL: c.publicURL, AdminToken: c.adminToken,
		JoinLimit: c.joinLimit, JoinBurst: c.joinBurst, TrustedProxies: c.trusted, Logger: log,
		CacheBytes: c.cacheBytes, Renders: c.renders, StreamsPerClient: c.streamsPerIP, MaxStreams: c.maxStreams, HSTS: c.hsts,
		IssuerEmail: c.issuerEmail, Retention: c.retention})
	if err != nil {
		ln.Close()
		return err
	}
	log.Info("technopolys listening", "addr", ln.Addr().String(), "public_url", c.publicURL,
		"store", storeKind(c.db), "version", versionString())
	if generated {
		log.Info("admin console (token generated for this run; set TECHNOPOLYS_ADMIN_TOKEN to choose one)",
			"console", strings.TrimRight(c.publicURL, "/")+"/admin", "token", c.adminToken)
	} else {
		log.Info("admin console", "console", strings.TrimRight(c.publicURL, "/")+"/admin")
	}
	defer h.Close() // after the last request, before the store closes
	if isPostgres(c.db) {
		// Other instances' approvals reach this one's live counts.
		lctx, stop := context.WithCancel(ctx)
		defer stop()
		go postgres.Listen(lctx, c.db, h.Changed, log)
	}
	if stop := startMail(ctx, c, store, log); stop != nil {
		defer stop() // before the store closes
	}
	if c.metricsAddr != "" {
		mln, err := net.Listen("tcp", c.metricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		log.Info("metrics listening", "addr", mln.Addr().String())
		msrv := &http.Server{Handler: metricsOnly(h.MetricsHandler()), ReadHeaderTimeout: 10 * time.Second, WriteTimeout: web.WriteTimeout}
		go msrv.Serve(mln)
		defer msrv.Close()
	}
	return serveUntilDone(ctx, ln, h, log)
}

// startMail starts the outbox's sender when an SMTP server is configured,
// and returns what stops it and waits for it.
func startMail(ctx context.Context, c config, store registry.Store, log *slog.Logger) (stop func()) {
	if c.smtp == nil {
		log.Info("no SMTP server configured (--smtp-url): mail to members stays in the outbox")
		return nil
	}
	s, err := mailsender.New(store, mailsender.Config{Transport: *c.smtp, From: c.mailFrom, PublicURL: c.publicURL, Logger: log})
	if err != nil {
		log.Error("mail sender", "err", err)
		return nil
	}
	mctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); s.Run(mctx) }()
	log.Info("sending the outbox", "smtp_host", c.smtp.Host, "smtp_port", c.smtp.Port, "tls", c.smtp.TLS, "from", c.mailFrom)
	return func() { cancel(); <-done }
}

// metricsOnly serves the metrics at /metrics and nothing else.
func metricsOnly(metrics http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	return mux
}

func storeKind(db string) string {
	if isPostgres(db) {
		return "postgres"
	}
	return "sqlite:" + sqlite.Path(db)
}

// shutdownGrace is how long in-flight requests get to finish on SIGTERM.
const shutdownGrace = 20 * time.Second

// serveUntilDone serves until ctx ends, then lets in-flight requests finish.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := newHTTPServer(h, log)
	if st, ok := h.(interface{ StopStreams() }); ok {
		srv.RegisterOnShutdown(st.StopStreams) // streams never end on their own
	}
	return startServing(ctx, srv, ln, log)
}

// newHTTPServer is the HTTP server every listener of the public site uses,
// with the timeouts that keep slow clients from holding it.
func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		// Every answer but an event stream (which sets its own deadline
		// per write) must be written within this, so a client that reads a
		// few bytes now and then cannot hold a connection forever.
		WriteTimeout: web.WriteTimeout,
		// Also how long a slow reader of an answer that already sits in the
		// kernel's buffers holds its connection: short.
		IdleTimeout:    30 * time.Second,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// startServing serves until ctx ends, then lets in-flight requests finish.
func startServing(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func backup(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", env(getenv, "TECHNOPOLYS_DB", "sqlite:technopolys.db"), "store to copy (TECHNOPOLYS_DB)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup: name one file to write: technopolys backup [--db URL] FILE")
	}
	if isPostgres(*db) {
		return errors.New("backup: the PostgreSQL store is backed up with pg_dump")
	}
	if err := sqlite.Backup(ctx, sqlite.Path(*db), fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "backup written to", fs.Arg(0))
	return nil
}
