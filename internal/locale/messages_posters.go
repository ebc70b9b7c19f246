package locale

// The printed posters and table tents, and the characters they refuse.
var _ = more(map[string][2]string{
	"events.tent":         {"Chevalet de table %s (PDF, %s)", "%s table tent (PDF, %s)"},
	"events.large":        {"Grande affiche %s (PDF, %s)", "Large %s poster (PDF, %s)"},
	"paper.poster.letter": {"format Lettre", "Letter"},
	"paper.poster.a4":     {"A4", "A4"},
	"paper.tent.letter":   {"format Lettre", "Letter"},
	"paper.tent.a4":       {"A4", "A4"},
	"paper.large.letter":  {"11\u00a0×\u00a017\u00a0po", "11 × 17 in"},
	"paper.large.a4":      {"A3", "A3"},
	"poster.fold":         {"Pliez ici", "Fold here"},
	"field.layout":        {"mise en page", "layout"},
	"rule.layout":         {"Poster, tent ou large.", "Poster, tent or large."},
	"rule.badge_glyphs":   {"Ce nom contient des caractères que les badges ne peuvent pas afficher\u00a0: %s. Écrivez le nom de l’entreprise en caractères latins (les émojis ne sont pas acceptés).", "This name contains characters the badges cannot show: %s. Write the company’s name in Latin letters (emoji are not accepted)."},
	"rule.glyphs": {"Ce texte contient des caractères que les affiches ne peuvent pas imprimer\u00a0: %s. Retirez-les ou remplacez-les (les émojis ne sont pas acceptés).",
		"This text contains characters the posters cannot print: %s. Remove or replace them (emoji are not accepted)."},
})
