package locale

// What a shared link to a page shows: its description and the link
// preview image's texts (internal/web/share.go).
var _ = more(map[string][2]string{
	"share.description":         {"Les entreprises technologiques du Québec affichent ensemble leur appartenance au mouvement technopolys.", "Québec’s technology companies show together that they belong to the technopolys movement."},
	"share.join.description":    {"Demandez l’adhésion de votre entreprise au mouvement technopolys et affichez son badge de membre.", "Ask for your company to join the technopolys movement and show its member badge."},
	"share.privacy.description": {"Quels renseignements technopolys recueille, pourquoi, combien de temps il les garde et à qui écrire.", "What information technopolys collects, why, how long it keeps it and whom to write to."},
	"share.member.description":  {"%s est membre vérifié de technopolys depuis le %s.", "%s has been a verified member of technopolys since %s."},
	"share.member.since":        {"Membre depuis le %s", "Member since %s"},
	"share.home.alt":            {"technopolys — Adhérez au mouvement technopolys", "technopolys — Join the technopolys movement"},
	"share.home.alt.count":      {"technopolys — Adhérez au mouvement technopolys — %s", "technopolys — Join the technopolys movement — %s"},
	"share.member.alt":          {"%s — membre vérifié de technopolys depuis le %s", "%s — verified member of technopolys since %s"},
	"share.notmember":           {"Aucun membre vérifié à cette adresse", "No verified member at this address"},
})
