package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/technopolys/technopolys/internal/auth"
	"github.com/technopolys/technopolys/internal/registry"
)

// staffLinkValid is how long a set-password link works.
const staffLinkValid = 24 * time.Hour

const staffUsage = `usage:
  technopolys staff add --email E --name N   create an account; prints a link (valid 24 h) to set its password
  technopolys staff link --email E           a new link for an existing account (a forgotten password)
  technopolys staff list                     the accounts
  technopolys staff disable --email E        close an account and end its sessions
Each also takes --db and --public-url (or TECHNOPOLYS_DB, TECHNOPOLYS_PUBLIC_URL).
`

// staff runs the staff subcommands against the store --db names.
func staff(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(stderr, staffUsage)
		return errors.New("staff: name a subcommand: add, link, list or disable")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("staff "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", env(getenv, "TECHNOPOLYS_DB", "sqlite:technopolys.db"), "store (TECHNOPOLYS_DB)")
	publicURL := fs.String("public-url", env(getenv, "TECHNOPOLYS_PUBLIC_URL", "http://localhost:8080"), "URL staff use (TECHNOPOLYS_PUBLIC_URL)")
	email := fs.String("email", "", "the staff member's e-mail")
	name := fs.String("name", "", "the staff member's name, as the audit log shows it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := openStore(ctx, *db, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer store.Close()
	base := strings.TrimRight(*publicURL, "/")
	switch sub {
	case "add":
		st := &registry.Staff{Email: *email, Name: *name}
		if err := st.Validate(); err != nil {
			return fmt.Errorf("staff add: %w", err)
		}
		if err := store.CreateStaff(ctx, st); err != nil {
			return fmt.Errorf("staff add: %w", err)
		}
		return printLink(ctx, store, st, base, stdout)
	case "link":
		st, err := store.FindStaffByEmail(ctx, strings.ToLower(*email))
		if err != nil {
			return fmt.Errorf("staff link %s: %w", *email, err)
		}
		return printLink(ctx, store, st, base, stdout)
	case "list":
		return listStaff(ctx, store, stdout)
	case "disable":
		st, err := store.FindStaffByEmail(ctx, strings.ToLower(*email))
		if err != nil {
			return fmt.Errorf("staff disable %s: %w", *email, err)
		}
		if err := store.DisableStaff(ctx, st.ID); err != nil {
			return fmt.Errorf("staff disable: %w", err)
		}
		fmt.Fprintf(stdout, "%s disabled; their sessions are closed\n", st.Email)
		return nil
	}
	fmt.Fprint(stderr, staffUsage)
	return fmt.Errorf("staff: unknown subcommand %q", sub)
}

// printLink makes a one-time set-password link and prints it: the token is
// shown once and only its hash is stored.
func printLink(ctx context.Context, store registry.Store, st *registry.Staff, base string, stdout io.Writer) error {
	token, hash := auth.NewToken()
	if err := store.CreateStaffLink(ctx, st.ID, hash, time.Now().Add(staffLinkValid)); err != nil {
		return fmt.Errorf("staff link: %w", err)
	}
	fmt.Fprintf(stdout, "%s (%s): send them this link, valid 24 hours, to choose a password:\n%s/admin/password?token=%s\n",
		st.Name, st.Email, base, token)
	return nil
}

func listStaff(ctx context.Context, store registry.Store, stdout io.Writer) error {
	all, err := store.ListStaff(ctx)
	if err != nil {
		return fmt.Errorf("staff list: %w", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "E-MAIL\tNAME\tSTATE\tSINCE")
	for _, st := range all {
		state := "active"
		switch {
		case st.Disabled:
			state = "disabled"
		case st.PasswordHash == "":
			state = "no password yet"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", st.Email, st.Name, state, st.CreatedAt.Format(time.DateOnly))
	}
	return tw.Flush()
}
