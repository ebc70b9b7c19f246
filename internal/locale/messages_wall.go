package locale

// The wall of members (badge.WallSVG, /widget/wall.svg).
var _ = more(map[string][2]string{
	"wall.heading":     {"Membres de technopolys", "Members of technopolys"},
	"wall.empty":       {"Aucune entreprise membre pour l’instant", "No member companies yet"},
	"wall.title":       {"Mur des membres de technopolys, %s\u00a0: %s", "technopolys wall of members, %s: %s"},
	"wall.title.empty": {"Mur des membres de technopolys, %s", "technopolys wall of members, %s"},
})
