package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/assets"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/slug"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// The campaign is an Open Badges 2.0 issuer with one BadgeClass, "member of
// technopolys", and a hosted Assertion per approved member.
// https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html

const obContext = "https://w3id.org/openbadges/v2"

func (s *Server) registerOpenBadgesRoutes(r router) {
	r.GET("/ob/issuer.json", s.handleIssuer)
	r.GET("/ob/badge.json", s.handleBadgeClass)
	r.GET("/ob/image.svg", s.handleBadgeClassImage)
	r.GET("/ob/assertions/:file", s.handleAssertion)
}

func (s *Server) assertionURL(slug string) string {
	return s.cfg.PublicURL + "/ob/assertions/" + slug + ".json"
}

// writeLD sends a JSON-LD document any verifier or backpack may fetch.
func writeLD(w http.ResponseWriter, status int, cacheControl string, v any) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", cacheControl)
	respond.JSON(w, status, v)
}

// writeLDBytes sends an encoded JSON-LD document as it is, as writeLD does:
// the Assertion's bytes must be the very ones a badge bakes.
func writeLDBytes(w http.ResponseWriter, status int, cacheControl string, body []byte) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", cacheControl)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func (s *Server) handleIssuer(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	writeLD(w, http.StatusOK, "public, max-age=3600", map[string]any{
		"@context":    obContext,
		"type":        "Issuer",
		"id":          s.cfg.PublicURL + "/ob/issuer.json",
		"name":        "technopolys",
		"url":         s.cfg.PublicURL + "/",
		"description": bilingual("site.tagline"),
		"image":       s.cfg.PublicURL + "/ob/image.svg",
		"email":       s.cfg.IssuerEmail,
	})
}

func (s *Server) handleBadgeClass(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	writeLD(w, http.StatusOK, "public, max-age=3600", map[string]any{
		"@context":    obContext,
		"type":        "BadgeClass",
		"id":          s.cfg.PublicURL + "/ob/badge.json",
		"name":        bilingual("ob.name"),
		"description": bilingual("ob.description"),
		"image":       s.cfg.PublicURL + "/ob/image.svg",
		"criteria":    map[string]string{"id": s.cfg.PublicURL + "/join", "narrative": bilingual("ob.criteria")},
		"issuer":      s.cfg.PublicURL + "/ob/issuer.json",
		"tags":        []string{"technopolys", "Québec"},
	})
}

// bilingual is a catalogue sentence in French, then English: Open Badges
// 2.0 gives a property one language.
func bilingual(key string) string { return locale.FR.T(key) + " / " + locale.EN.T(key) }

// handleBadgeClassImage serves the technopolys mark, the BadgeClass's image.
func (s *Server) handleBadgeClassImage(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	body, err := assets.FS.ReadFile("logo.svg")
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	writeImage(w, r, http.StatusOK, newRendered(body, svgType), []string{"public, max-age=86400"})
}

// handleAssertion serves a member's hosted Assertion. A revoked member's
// answers 410 Gone with {"revoked": true}, as the specification asks, so
// every verifier sees the revocation; anyone else is 404.
func (s *Server) handleAssertion(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	sl, _, ok := splitImageName(ps.ByName("file"), "json")
	if !ok || !slug.Valid(sl) {
		s.respond.Error(w, r, registry.NotFound())
		return
	}
	// Verifiers ask rarely; the lookup takes a render slot so that a flood
	// of made-up slugs is rationed like any cold work.
	var m *registry.Member
	err := s.badges.images.Do(r.Context(), func() (err error) {
		m, err = s.store.FindMemberBySlug(r.Context(), sl)
		return err
	})
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	status, body, err := s.assertion(m)
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	if status == http.StatusNotFound {
		s.respond.Error(w, r, registry.NotFound())
		return
	}
	writeLDBytes(w, status, "no-cache", body)
}

// assertionDoc is an Open Badges 2.0 Assertion, hosted verification.
type assertionDoc struct {
	Context      string             `json:"@context"`
	Type         string             `json:"type"`
	ID           string             `json:"id"`
	Revoked      bool               `json:"revoked,omitempty"`
	Recipient    *assertionIdentity `json:"recipient,omitempty"`
	Badge        string             `json:"badge,omitempty"`
	Verification *verification      `json:"verification,omitempty"`
	IssuedOn     string             `json:"issuedOn,omitempty"`
	Image        string             `json:"image,omitempty"`
	Evidence     string             `json:"evidence,omitempty"`
}

// assertionIdentity is the recipient: the member's website, hashed.
type assertionIdentity struct {
	Type     string `json:"type"`
	Hashed   bool   `json:"hashed"`
	Salt     string `json:"salt"`
	Identity string `json:"identity"`
}

type verification struct {
	Type string `json:"type"`
}

// assertion is the member's Assertion document and the status it is served
// with: 200 for an approved member, 410 with {"revoked": true} for a
// revoked one, 404 (no body) for anyone else. Its bytes are both what
// /ob/assertions/{slug}.json serves and what a badge bakes, so the two never
// differ; they depend only on the public URL and the member, so a badge
// cached under the member's version carries the right one. json.Marshal
// writes ">" as \u003e, so the bytes also sit in an SVG's CDATA as they are.
func (s *Server) assertion(m *registry.Member) (int, []byte, error) {
	doc := assertionDoc{Context: obContext, Type: "Assertion", ID: s.assertionURL(m.Slug)}
	status := http.StatusOK
	switch m.Status {
	case registry.StatusRevoked:
		doc.Revoked, status = true, http.StatusGone
	case registry.StatusApproved:
		salt := recipientSalt(m)
		sum := sha256.Sum256([]byte(m.Website + salt))
		doc.Recipient = &assertionIdentity{Type: "url", Hashed: true, Salt: salt, Identity: "sha256$" + hex.EncodeToString(sum[:])}
		doc.Badge = s.cfg.PublicURL + "/ob/badge.json"
		doc.Verification = &verification{Type: "HostedBadge"}
		doc.IssuedOn = m.ApprovedAt.UTC().Format("2006-01-02T15:04:05Z")
		doc.Image = s.cfg.PublicURL + "/badge/" + m.Slug + ".png"
		doc.Evidence = s.cfg.PublicURL + "/members/" + m.Slug
	default:
		return http.StatusNotFound, nil, nil
	}
	body, err := json.Marshal(doc)
	if err != nil {
		return 0, nil, fmt.Errorf("assertion: %w", err)
	}
	return status, body, nil
}

// recipientSalt is fixed per member, so the assertion does not change from
// one request to the next; its job is only to keep the hash from being
// looked up in a table of hashed websites.
func recipientSalt(m *registry.Member) string {
	sum := sha256.Sum256([]byte("technopolys-recipient-" + strconv.FormatInt(m.ID, 10)))
	return hex.EncodeToString(sum[:8])
}
