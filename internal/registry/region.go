package registry

import "strings"

// Region is one of Québec's 17 administrative regions, by its French name,
// which is also its official name in English.
type Region string

// regions lists the 17 regions in their official order (01 to 17) with the
// ASCII key used in URLs, such as ?region=saguenay-lac-saint-jean.
var regions = []struct {
	name Region
	key  string
}{
	{"Bas-Saint-Laurent", "bas-saint-laurent"},
	{"Saguenay–Lac-Saint-Jean", "saguenay-lac-saint-jean"},
	{"Capitale-Nationale", "capitale-nationale"},
	{"Mauricie", "mauricie"},
	{"Estrie", "estrie"},
	{"Montréal", "montreal"},
	{"Outaouais", "outaouais"},
	{"Abitibi-Témiscamingue", "abitibi-temiscamingue"},
	{"Côte-Nord", "cote-nord"},
	{"Nord-du-Québec", "nord-du-quebec"},
	{"Gaspésie–Îles-de-la-Madeleine", "gaspesie-iles-de-la-madeleine"},
	{"Chaudière-Appalaches", "chaudiere-appalaches"},
	{"Laval", "laval"},
	{"Lanaudière", "lanaudiere"},
	{"Laurentides", "laurentides"},
	{"Montérégie", "monteregie"},
	{"Centre-du-Québec", "centre-du-quebec"},
}

// Regions returns the 17 regions in their official order.
func Regions() []Region {
	out := make([]Region, len(regions))
	for i, r := range regions {
		out[i] = r.name
	}
	return out
}

// Key returns the region's ASCII key for URLs.
func (r Region) Key() string {
	for _, x := range regions {
		if x.name == r {
			return x.key
		}
	}
	return ""
}

// dashes folds the en dash of two region names to a hyphen, since people type
// "Saguenay-Lac-Saint-Jean" far more often than the official en dash.
var dashes = strings.NewReplacer("–", "-", "—", "-")

// ParseRegion finds the region named s: its French name (case and dash
// insensitive) or its ASCII key.
func ParseRegion(s string) (Region, bool) {
	s = dashes.Replace(strings.TrimSpace(s))
	for _, x := range regions {
		if strings.EqualFold(s, dashes.Replace(string(x.name))) || strings.EqualFold(s, x.key) {
			return x.name, true
		}
	}
	return "", false
}
