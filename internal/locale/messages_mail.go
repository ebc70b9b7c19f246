package locale

// The mail sent to companies (internal/mail composes it).
var _ = more(map[string][2]string{
	"mail.greeting":                 {"Bonjour %s,", "Hello %s,"},
	"mail.greeting.anon":            {"Bonjour,", "Hello,"},
	"mail.receipt.subject":          {"Nous avons reçu votre demande d’adhésion", "We received your membership request"},
	"mail.receipt.lead":             {"Nous avons bien reçu la demande d’adhésion de « %s » à technopolys.", "We received the membership request of “%s” to technopolys."},
	"mail.receipt.next":             {"L’équipe de la campagne va examiner votre demande et vous écrira dès qu’elle aura pris sa décision. Vous n’avez rien d’autre à faire d’ici là.", "The campaign team will review your request and write to you as soon as it has decided. There is nothing else for you to do until then."},
	"mail.approval.subject":         {"Votre adhésion à technopolys est approuvée", "Your technopolys membership is approved"},
	"mail.approval.lead":            {"La demande de « %s » est approuvée. Sa page de vérification publique est en ligne :", "The request of “%s” is approved. Its public verification page is online:"},
	"mail.approval.kit":             {"Votre badge, et le code à coller sur votre site pour l’afficher, vous attendent dans votre espace membre.", "Your badge, and the code to paste on your website to show it, are waiting in your member area."},
	"mail.rejection.subject":        {"Votre demande d’adhésion à technopolys est refusée", "Your technopolys membership request was declined"},
	"mail.rejection.lead":           {"La demande d’adhésion de « %s » n’a pas été retenue, pour la raison suivante :", "The membership request of “%s” was declined, for this reason:"},
	"mail.revocation.subject":       {"Votre adhésion à technopolys est révoquée", "Your technopolys membership was revoked"},
	"mail.revocation.lead":          {"L’adhésion de « %s » est révoquée, pour la raison suivante :", "The membership of “%s” is revoked, for this reason:"},
	"mail.reason.none":              {"Aucune raison n’a été donnée.", "No reason was given."},
	"mail.reply":                    {"Pour toute question, répondez à ce courriel.", "If you have any question, reply to this e-mail."},
	"mail.signoff":                  {"L’équipe technopolys", "The technopolys team"},
	"mail.receipt.confirm":          {"Pour que l’équipe sache que cette adresse est bien la vôtre, confirmez-la en suivant ce lien\u00a0:", "So that the team knows this address is yours, confirm it by following this link:"},
	"mail.approval.area":            {"Dans votre espace membre, vous choisissez votre badge, voyez les sites qui l’affichent et gérez vos données. Demandez-y un lien de connexion avec cette adresse\u00a0:", "In your member area you choose your badge, see the sites showing it and manage your data. Ask there for a sign-in link with this address:"},
	"mail.change_approved.subject":  {"Votre demande de modification est acceptée", "Your change request is approved"},
	"mail.change_approved.lead":     {"L’équipe a accepté la modification demandée. Votre fiche porte désormais le nom «\u00a0%s\u00a0», et votre badge aussi\u00a0:", "The team approved the change you asked for. Your listing now bears the name “%s”, and so does your badge:"},
	"mail.change_refused.subject":   {"Votre demande de modification est refusée", "Your change request was declined"},
	"mail.change_refused.lead":      {"L’équipe n’a pas retenu la modification demandée pour «\u00a0%s\u00a0», pour la raison suivante\u00a0:", "The team declined the change asked for “%s”, for this reason:"},
	"mail.deletion_refused.subject": {"Votre demande d’effacement est refusée", "Your deletion request was declined"},
	"mail.deletion_refused.lead":    {"L’équipe n’a pas effacé les données de «\u00a0%s\u00a0», pour la raison suivante\u00a0:", "The team did not erase the data of “%s”, for this reason:"},
	"mail.signin.subject":           {"Votre lien de connexion à l’espace membre technopolys", "Your sign-in link to the technopolys member area"},
	"mail.signin.lead":              {"Voici le lien qui ouvre l’espace membre de « %s ». Il est valable 30\u00a0minutes et ne sert qu’une fois\u00a0:", "Here is the link that opens the member area of “%s”. It is valid for 30 minutes and works once:"},
	"mail.signin.ignore":            {"Si vous n’avez pas demandé ce lien, ignorez ce courriel\u00a0: personne n’entre sans lui.", "If you did not ask for this link, ignore this e-mail: no one gets in without it."},

	"outbox.links": {"Les liens du message\u00a0:", "The message’s links:"},

	// The kinds of mail as the console's outbox page names them.
	"outbox.kind.signin":           {"Lien de connexion", "Sign-in link"},
	"outbox.kind.change_approved":  {"Modification acceptée", "Change approved"},
	"outbox.kind.change_refused":   {"Modification refusée", "Change declined"},
	"outbox.kind.deletion_refused": {"Effacement refusé", "Deletion declined"},
})
