package locale

// The confirmation of a contact's address (the receipt's link), the marks
// staff read in the queue, and the retention of requests never confirmed.
var _ = more(map[string][2]string{
	"confirm.title":            {"Confirmer votre adresse", "Confirm your address"},
	"confirm.lead":             {"Confirmez que l’adresse de courriel donnée dans la demande d’adhésion de «\u00a0%s\u00a0» est bien la vôtre.", "Confirm that the e-mail address given in the membership request of “%s” is yours."},
	"confirm.button":           {"Confirmer mon adresse", "Confirm my address"},
	"confirm.why":              {"Rien n’est confirmé tant que vous n’appuyez pas sur le bouton.", "Nothing is confirmed until you press the button."},
	"confirm.done.title":       {"Adresse confirmée", "Address confirmed"},
	"confirm.done.lead":        {"Merci\u202f! L’équipe de la campagne sait maintenant que l’adresse de la demande de «\u00a0%s\u00a0» est bien la vôtre.", "Thank you! The campaign team now knows that the address of the request of “%s” is yours."},
	"confirm.done.next":        {"L’équipe examine la demande et vous écrira à cette adresse dès qu’elle aura pris sa décision. Vous n’avez rien d’autre à faire d’ici là.", "The team is reviewing the request and will write to you at this address as soon as it has decided. There is nothing else for you to do until then."},
	"confirm.unknown.title":    {"Lien inconnu ou expiré", "Unknown or expired link"},
	"confirm.unknown.lead":     {"Ce lien de confirmation est inconnu ou a expiré.", "This confirmation link is unknown or has expired."},
	"confirm.unknown.next":     {"Votre demande d’adhésion n’est pas perdue pour autant\u00a0: l’équipe de la campagne l’examine toujours et vous écrira.", "Your membership request is not lost: the campaign team is still reviewing it and will write to you."},
	"queue.checks":             {"Vérifications", "Checks"},
	"queue.confirmed":          {"Adresse confirmée", "Address confirmed"},
	"queue.unconfirmed":        {"Adresse non confirmée", "Address not confirmed"},
	"queue.domain.match":       {"Courriel du domaine du site (%s)", "E-mail from the website’s domain (%s)"},
	"queue.domain.other":       {"Courriel hors du domaine du site (%s)", "E-mail outside the website’s domain (%s)"},
	"queue.contact.erased":     {"Contact effacé (jamais confirmé ou sur demande)", "Contact erased (never confirmed, or on request)"},
	"staff.confirmed":          {"Adresse confirmée le %s", "Address confirmed on %s"},
	"privacy.kept.unconfirmed": {"Demande jamais confirmée\u00a0: si la personne-ressource ne confirme jamais son adresse, son nom et son courriel sont effacés quand la demande date de %s. La demande reste à l’examen.", "Request never confirmed: if the contact person never confirms their address, their name and e-mail address are erased once the request is %s old. The request is still reviewed."},
})
