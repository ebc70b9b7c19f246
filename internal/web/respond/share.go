package respond

import (
	"net/url"

	"github.com/technopolys/technopolys/internal/locale"
)

// Share is what a page says of itself to the sites and apps a link to it is
// shared on (Open Graph and Twitter card tags) and to search engines (its
// description, canonical address and language alternates). Every address
// is absolute, built from the public URL. A page without one (the console,
// error pages, pages whose address holds a secret) is marked noindex.
type Share struct {
	// URL is the page's canonical address, in the page's language;
	// FR and EN are the page in each language, Default the page without
	// a language, which negotiates one.
	URL, FR, EN, Default string
	Title, Description   string
	// Type is og:type: "website" (Open Graph's "profile" is a person's).
	Type string
	// Locale and AltLocale are og:locale's fr_CA and en_CA.
	Locale, AltLocale string
	// Image is a 1200 × 630 PNG, described by ImageAlt.
	Image, ImageAlt         string
	ImageWidth, ImageHeight int
}

// NewShare is the share of the page at path with the canonical parameters
// q (lang is set to l), under publicURL; the caller fills in the title,
// the description and the image.
func NewShare(publicURL, path string, q url.Values, l locale.Lang) *Share {
	at := func(lang locale.Lang) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		if lang != "" {
			v.Set("lang", string(lang))
		} else {
			v.Del("lang")
		}
		if len(v) == 0 {
			return publicURL + path
		}
		return publicURL + path + "?" + v.Encode()
	}
	return &Share{URL: at(l), FR: at(locale.FR), EN: at(locale.EN), Default: at(""), Type: "website",
		Locale: ogLocale(l), AltLocale: ogLocale(l.Other()), ImageWidth: 1200, ImageHeight: 630}
}

// ogLocale is a language as Open Graph names it.
func ogLocale(l locale.Lang) string {
	if l == locale.EN {
		return "en_CA"
	}
	return "fr_CA"
}
