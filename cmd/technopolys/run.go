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
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

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
	joinLimit                       int
	trusted                         []netip.Prefix
	logLevel                        slog.Level
}

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
	limit := fs.String("join-limit", env(getenv, "TECHNOPOLYS_JOIN_LIMIT", "30"), "joins per client IP per hour, 0 for no limit (TECHNOPOLYS_JOIN_LIMIT)")
	trusted := fs.String("trusted-proxy", getenv("TECHNOPOLYS_TRUSTED_PROXY"), "comma-separated CIDRs of proxies whose X-Forwarded-For is believed (TECHNOPOLYS_TRUSTED_PROXY)")
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
	for _, cidr := range strings.FieldsFunc(*trusted, func(r rune) bool { return r == ',' || r == ' ' }) {
		p, err := netip.ParsePrefix(cidr)
		if err != nil {
			return c, fmt.Errorf("--trusted-proxy: %w", err)
		}
		c.trusted = append(c.trusted, p.Masked())
	}
	if err := c.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return c, fmt.Errorf("--log-level: %w", err)
	}
	c.adminToken = getenv("TECHNOPOLYS_ADMIN_TOKEN")
	return c, nil
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
	generated := c.adminToken == ""
	if generated {
		c.adminToken = rand.Text()
	}
	h, err := web.New(store, web.Config{PublicURL: c.publicURL, AdminToken: c.adminToken,
		JoinLimit: c.joinLimit, TrustedProxies: c.trusted, Logger: log})
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
	return serveUntilDone(ctx, ln, h, log)
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
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if st, ok := h.(interface{ StopStreams() }); ok {
		srv.RegisterOnShutdown(st.StopStreams) // streams never end on their own
	}
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
