package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxImportRows is the most one import file may hold (the server refuses
// more).
const maxImportRows = 10000

// importTimeout bounds one import request: the server holds its one
// writer for the whole file.
const importTimeout = 5 * time.Minute

// regionNames are a few of the 17 regions, by the names the import accepts.
var regionNames = []string{"Montréal", "Capitale-Nationale", "Laval", "Montérégie", "Estrie", "Outaouais",
	"Saguenay–Lac-Saint-Jean", "Mauricie", "Laurentides", "Lanaudière"}

// seed makes sure the server has the event and at least want listed
// members, importing what is missing in files of at most maxImportRows.
func seed(ctx context.Context, cfg *config, want int, out io.Writer) error {
	if cfg.token == "" {
		return fmt.Errorf("-seed needs the admin token (-token or TECHNOPOLYS_ADMIN_TOKEN)")
	}
	c := newClient(2)
	defer c.CloseIdleConnections()
	if err := createEvent(ctx, c, cfg); err != nil {
		return err
	}
	have, err := listedTotal(ctx, c, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "event %s ready; %d listed members\n", cfg.event, have)
	batch := strconv.FormatInt(time.Now().Unix(), 36) // new websites and slugs on every run
	for first := 0; have < want; {
		n := min(maxImportRows, want-have)
		took, err := importMembers(ctx, c, cfg, memberCSV("Seed "+batch, first, n))
		if err != nil {
			return err
		}
		have, first = have+n, first+n
		fmt.Fprintf(out, "imported %d members in %s; %d listed\n", n, took.Round(time.Millisecond), have)
	}
	return nil
}

// createEvent creates the event the QR, poster and scan attacks use; one
// that already exists is fine.
func createEvent(ctx context.Context, c *http.Client, cfg *config) error {
	body, _ := json.Marshal(map[string]string{"code": cfg.event, "name_fr": "Salon des abus", "name_en": "Abuse fair",
		"starts_on": "2026-12-03", "place": "127.0.0.1"})
	status, res, err := call(ctx, c, "POST", cfg.base+"/api/v1/admin/events", "application/json", body, cfg.token, 30*time.Second)
	if err != nil {
		return fmt.Errorf("create event: %w", err)
	}
	if status != http.StatusCreated && status != http.StatusConflict {
		return fmt.Errorf("create event: %d %s", status, strings.TrimSpace(string(res)))
	}
	return nil
}

// importMembers posts one import file and returns how long it took.
func importMembers(ctx context.Context, c *http.Client, cfg *config, file []byte) (time.Duration, error) {
	start := time.Now()
	status, res, err := call(ctx, c, "POST", cfg.base+"/api/v1/admin/members/import", "text/csv", file, cfg.token, importTimeout)
	took := time.Since(start)
	if err != nil {
		return took, fmt.Errorf("import: %w", err)
	}
	if status != http.StatusCreated {
		return took, fmt.Errorf("import: %d %.300s", status, strings.TrimSpace(string(res)))
	}
	return took, nil
}

// memberCSV is an import file of n consenting members named "prefix
// first", "prefix first+1"…, each with its own website.
func memberCSV(prefix string, first, n int) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"name", "website", "region", "contact_email", "consent_public"})
	host := strings.ToLower(strings.ReplaceAll(prefix, " ", "-"))
	for i := first; i < first+n; i++ {
		site := fmt.Sprintf("%s-%d.example", host, i)
		w.Write([]string{fmt.Sprintf("%s %d", prefix, i), "https://" + site, regionNames[i%len(regionNames)], "contact@" + site, "oui"})
	}
	w.Flush()
	return b.Bytes()
}

// listedTotal is how many members the public directory lists.
func listedTotal(ctx context.Context, c *http.Client, cfg *config) (int, error) {
	var page struct {
		Total int `json:"total"`
	}
	err := getJSON(ctx, c, cfg.base+"/api/v1/members?limit=1", "", &page)
	return page.Total, err
}

// listedSlugs reads the slugs of up to n listed members from the public
// JSON directory, a thousand (its largest page) at a time.
func listedSlugs(ctx context.Context, cfg *config, n int) ([]string, error) {
	c := newClient(1)
	defer c.CloseIdleConnections()
	var slugs []string
	for len(slugs) < n {
		var page struct {
			Members []struct {
				Slug string `json:"slug"`
			} `json:"members"`
		}
		url := fmt.Sprintf("%s/api/v1/members?limit=%d&offset=%d", cfg.base, min(1000, n-len(slugs)), len(slugs))
		if err := getJSON(ctx, c, url, "", &page); err != nil {
			return nil, err
		}
		for _, m := range page.Members {
			slugs = append(slugs, m.Slug)
		}
		if len(page.Members) == 0 {
			break
		}
	}
	return slugs, nil
}
