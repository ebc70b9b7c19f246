package locale

import "fmt"

// messages holds every sentence in French and English, by key. A key that is
// missing is a bug caught by TestEveryKeyInBothLanguages.
var messages = map[string][2]string{
	// Site.
	"site.name":        {"technopolys", "technopolys"},
	"site.tagline":     {"Le mouvement de l'industrie technologique québécoise", "The movement of Québec's technology industry"},
	"site.nav.join":    {"Adhérer", "Join"},
	"site.nav.members": {"Membres", "Members"},
	"site.skip":        {"Aller au contenu", "Skip to content"},
	"site.switch":      {"English", "Français"},
	"site.footer":      {"technopolys — l'identité commune de l'industrie technologique du Québec.", "technopolys — the shared identity of Québec's technology industry."},

	// Landing.
	"home.title":   {"Joignez le mouvement technopolys", "Join the technopolys movement"},
	"home.count":   {"entreprises membres", "member companies"},
	"home.count1":  {"entreprise membre", "member company"},
	"home.lead":    {"Les entreprises technologiques du Québec affichent ensemble leur appartenance au mouvement.", "Québec's technology companies show together that they belong to the movement."},
	"home.cta":     {"Faire une demande d'adhésion", "Ask to join"},
	"home.members": {"Voir les membres", "See the members"},

	// Badges.
	"badge.label":             {"membre de", "member of"},
	"badge.title":             {"%s — membre vérifié de technopolys", "%s — verified member of technopolys"},
	"badge.notmember":         {"non membre", "not a member"},
	"badge.notmember.title":   {"Non membre de technopolys", "Not a member of technopolys"},
	"badge.noevent":           {"événement inconnu", "unknown event"},
	"badge.noevent.title":     {"Événement inconnu de technopolys", "Event unknown to technopolys"},
	"badge.unavailable":       {"indisponible", "unavailable"},
	"badge.unavailable.title": {"technopolys est momentanément indisponible", "technopolys is temporarily unavailable"},
	"poster.cta":              {"Joignez le mouvement technopolys", "Join the technopolys movement"},
	"poster.hint":             {"Scannez le code ou tapez l'adresse :", "Scan the code or type the address:"},
	"badge.section":           {"Votre badge", "Your badge"},
	"badge.section.lead":      {"Affichez-le sur votre site : il mène à cette page, qui confirme votre adhésion tant qu'elle dure.", "Show it on your website: it links to this page, which confirms your membership for as long as it lasts."},
	"badge.previews":          {"Styles et thèmes", "Styles and themes"},
	"badge.snippet.html":      {"HTML", "HTML"},
	"badge.snippet.picture":   {"HTML avec mode sombre et écrans haute densité (PNG)", "HTML with dark mode and high-density screens (PNG)"},
	"badge.snippet.md":        {"Markdown", "Markdown"},
	"badge.snippet.url":       {"Adresse de l'image", "Image address"},
	"badge.copy":              {"Copier", "Copy"},
	"badge.copied":            {"Copié", "Copied"},
	"badge.theme.light":       {"clair", "light"},
	"badge.theme.dark":        {"sombre", "dark"},
	"badge.theme.auto":        {"automatique", "automatic"},
	"badge.invalid":           {"option invalide : %s", "invalid option: %s"},

	// Open Badges.
	"ob.name":        {"Membre de technopolys", "Member of technopolys"},
	"ob.description": {"Entreprise membre vérifiée du mouvement de l'industrie technologique québécoise.", "Verified member company of the movement of Québec's technology industry."},
	"ob.criteria":    {"Entreprise technologique du Québec dont la demande d'adhésion a été approuvée par l'équipe de la campagne.", "A Québec technology company whose membership request the campaign team approved."},

	// Join form.
	"join.title":         {"Demande d'adhésion", "Membership request"},
	"join.lead":          {"Remplissez ce formulaire : l'équipe de la campagne examine chaque demande.", "Fill in this form: the campaign team reviews every request."},
	"join.name":          {"Nom de l'entreprise", "Company name"},
	"join.website":       {"Site web", "Website"},
	"join.website.hint":  {"Commence par https://", "Starts with https://"},
	"join.contact_name":  {"Personne-ressource", "Contact name"},
	"join.contact_email": {"Courriel de la personne-ressource", "Contact e-mail"},
	"join.private":       {"Ces coordonnées restent privées.", "These details stay private."},
	"join.region":        {"Région administrative", "Administrative region"},
	"join.region.choose": {"Choisissez une région", "Choose a region"},
	"join.consent":       {"Afficher l'entreprise dans le répertoire public des membres ?", "List the company in the public member directory?"},
	"join.consent.yes":   {"Oui", "Yes"},
	"join.consent.no":    {"Non", "No"},
	"join.event":         {"Événement", "Event"},
	"join.required":      {"Les champs marqués « obligatoire » doivent être remplis.", "Fields marked “required” must be filled in."},
	"join.required.mark": {"(obligatoire)", "(required)"},
	"join.submit":        {"Envoyer la demande", "Send the request"},
	"join.errors":        {"La demande n'a pas été envoyée. Corrigez les champs signalés.", "The request was not sent. Please fix the fields marked below."},
	"join.ok.title":      {"Demande reçue", "Request received"},
	"join.ok.lead":       {"Merci ! L'équipe de la campagne examinera votre demande et vous écrira.", "Thank you! The campaign team will review your request and write to you."},

	// Field names, for API errors.
	"field.name":           {"nom", "name"},
	"field.website":        {"site web", "website"},
	"field.contact_name":   {"personne-ressource", "contact name"},
	"field.contact_email":  {"courriel", "e-mail"},
	"field.region":         {"région", "region"},
	"field.consent_public": {"consentement", "consent"},
	"field.event":          {"événement", "event"},
	"field.paper":          {"papier", "paper"},
	"field.lang":           {"langue", "language"},
	"field.code":           {"code", "code"},
	"field.name_fr":        {"nom en français", "French name"},
	"field.name_en":        {"nom en anglais", "English name"},
	"field.starts_on":      {"date", "date"},
	"field.place":          {"lieu", "place"},
	"field.reason":         {"motif", "reason"},
	"field.file":           {"fichier", "file"},
	"field.header":         {"en-tête", "header"},
	"field.status":         {"statut", "status"},
	"field.limit":          {"limite", "limit"},
	"field.offset":         {"décalage", "offset"},
	"field.body":           {"corps de la requête", "request body"},

	// Validation rules.
	"rule.required":           {"Ce champ est obligatoire.", "This field is required."},
	"rule.too_long":           {"Ce texte est trop long.", "This text is too long."},
	"rule.control_characters": {"Ce texte contient des caractères non imprimables.", "This text contains characters that cannot be printed."},
	"rule.url":                {"Cette adresse web n'est pas valide.", "This is not a valid web address."},
	"rule.url_scheme":         {"L'adresse doit commencer par http:// ou https://.", "The address must start with http:// or https://."},
	"rule.email":              {"Cette adresse courriel n'est pas valide.", "This is not a valid e-mail address."},
	"rule.region":             {"Choisissez une des 17 régions administratives du Québec.", "Choose one of Québec's 17 administrative regions."},
	"rule.boolean":            {"Répondez par oui (true) ou non (false).", "Answer yes (true) or no (false)."},
	"rule.code":               {"Ce code d'événement n'est pas valide.", "This event code is not valid."},
	"rule.duplicate":          {"Ce site web figure déjà plus haut dans le fichier.", "This website appears earlier in the file."},
	"rule.csv":                {"Ce fichier CSV est illisible.", "This CSV file cannot be read."},
	"rule.column_missing":     {"Cette colonne manque dans l'en-tête.", "This column is missing from the header."},
	"rule.website_taken":      {"Ce site web a déjà une demande en cours ou une adhésion.", "This website already has a pending request or a membership."},
	"rule.number":             {"Nombre invalide ou hors limites.", "Invalid or out-of-range number."},
	"rule.status":             {"Statut inconnu (pending, approved, rejected ou revoked).", "Unknown status (pending, approved, rejected or revoked)."},
	"rule.paper":              {"Papier : letter ou a4.", "Paper: letter or a4."},
	"rule.lang":               {"Langue : fr ou en.", "Language: fr or en."},
	"rule.date":               {"Date attendue au format AAAA-MM-JJ.", "Expected a date as YYYY-MM-DD."},
	"rule.event_taken":        {"Ce code d'événement est déjà utilisé.", "This event code is already in use."},
	"rule.type":               {"Type de valeur incorrect.", "Wrong type of value."},

	// Request and domain errors.
	"error.not_json":        {"Le corps de la requête doit être un objet JSON.", "The request body must be a JSON object."},
	"error.too_large":       {"Le corps de la requête est trop volumineux.", "The request body is too large."},
	"error.rate_limited":    {"Trop de demandes depuis votre adresse. Réessayez plus tard.", "Too many requests from your address. Try again later."},
	"error.unauthorized":    {"Jeton d'administration manquant ou invalide.", "Missing or invalid admin token."},
	"error.not_found":       {"Page introuvable.", "Page not found."},
	"error.member":          {"Membre introuvable.", "Member not found."},
	"error.method":          {"Méthode non permise.", "Method not allowed."},
	"error.internal":        {"Erreur interne. L'équipe a été avertie.", "Internal error. The team has been told."},
	"error.unavailable":     {"Service momentanément indisponible.", "Service temporarily unavailable."},
	"error.media_type":      {"Le corps de la requête doit être envoyé en JSON (Content-Type: application/json).", "The request body must be sent as JSON (Content-Type: application/json)."},
	"error.forbidden":       {"Requête refusée : elle vient d’un autre site.", "Request refused: it comes from another site."},
	"warning.mixed_scripts": {"Le nom mêle plusieurs écritures (par exemple latin et cyrillique) : vérifiez qu’il n’imite pas un autre nom.", "The name mixes scripts (Latin and Cyrillic, say): check that it does not imitate another name."},
	"warning.lookalike":     {"Le nom ressemble à s’y méprendre à celui d’un autre membre.", "The name looks deceptively like another member’s."},
	"rule.name_taken":       {"Une entreprise de ce nom a déjà une demande en cours ou une adhésion.", "A company of that name already has a pending request or a membership."},
	"error.busy":            {"Le service est très sollicité. Réessayez dans un instant.", "The service is very busy. Try again in a moment."},
	"error.unknown_action":  {"Action inconnue.", "Unknown action."},
	"error.status_pending":  {"Impossible : ce membre est en attente.", "Not possible: this member is pending."},
	"error.status_approved": {"Impossible : ce membre est déjà approuvé.", "Not possible: this member is already approved."},
	"error.status_rejected": {"Impossible : cette demande a été refusée.", "Not possible: this request was rejected."},
	"error.status_revoked":  {"Impossible : cette adhésion a été révoquée.", "Not possible: this membership was revoked."},
	"error.website_taken":   {"Ce site web a déjà une demande en cours ou une adhésion.", "This website already has a pending request or a membership."},
	"error.invalid":         {"Données invalides.", "Invalid data."},
	"error.line":            {"ligne %d", "line %d"},
	"error.title":           {"Erreur", "Error"},
	"error.home":            {"Retour à l'accueil", "Back to the home page"},
	"error.notmember":       {"Aucun membre vérifié à cette adresse.", "No verified member at this address."},

	// Directory and verification page.
	"members.title":      {"Membres de technopolys", "Members of technopolys"},
	"members.lead":       {"Entreprises membres qui ont accepté d'être affichées.", "Member companies that agreed to be listed."},
	"members.region.all": {"Toutes les régions", "All regions"},
	"members.filter":     {"Filtrer", "Filter"},
	"members.none":       {"Aucun membre affiché pour l'instant.", "No member listed yet."},
	"members.prev":       {"Page précédente", "Previous page"},
	"members.next":       {"Page suivante", "Next page"},
	"members.since":      {"Membre depuis le", "Member since"},
	"member.verified":    {"Membre vérifié", "Verified member"},
	"member.of":          {"Membre vérifié de technopolys", "Verified member of technopolys"},
	"member.website":     {"Site web", "Website"},
	"member.region":      {"Région", "Region"},
	"member.since":       {"Membre depuis", "Member since"},
	"member.checked":     {"Vérifié le", "Checked on"},
	"member.note":        {"Cette page est tenue par technopolys : si elle existe, l'entreprise est membre aujourd'hui.", "This page is kept by technopolys: if it exists, the company is a member today."},

	// Staff console.
	"admin.title":            {"Console de la campagne", "Campaign console"},
	"admin.signedin":         {"Session de %s", "Signed in as %s"},
	"admin.reinstate":        {"Réintégrer", "Reinstate"},
	"admin.reconsider":       {"Reconsidérer", "Reconsider"},
	"staff.status":           {"Statut", "Status"},
	"staff.links":            {"Liens", "Links"},
	"staff.verification":     {"Page de vérification", "Verification page"},
	"staff.badge":            {"Badge", "Badge"},
	"staff.reason":           {"Motif", "Reason"},
	"staff.why":              {"Motif (obligatoire)", "Reason (required)"},
	"staff.edit":             {"Modifier la fiche", "Edit the record"},
	"staff.listed":           {"Affichée dans le répertoire public", "Listed in the public directory"},
	"staff.save":             {"Enregistrer les changements", "Save the changes"},
	"staff.history":          {"Historique", "History"},
	"staff.saved":            {"Fiche enregistrée.", "Record saved."},
	"staff.done":             {"Fait.", "Done."},
	"action.approve":         {"approbation", "approval"},
	"action.reject":          {"refus", "rejection"},
	"action.revoke":          {"révocation", "revocation"},
	"action.reinstate":       {"réintégration", "reinstatement"},
	"action.reconsider":      {"reconsidération", "reconsideration"},
	"action.import":          {"importation", "import"},
	"action.edit":            {"modification", "edit"},
	"state.pending":          {"en attente", "pending"},
	"state.approved":         {"approuvée", "approved"},
	"state.rejected":         {"refusée", "rejected"},
	"state.revoked":          {"révoquée", "revoked"},
	"admin.queue":            {"File des demandes", "Request queue"},
	"queue.title":            {"Demandes à traiter", "Requests to decide"},
	"queue.console":          {"Retour à la console", "Back to the console"},
	"queue.count":            {"%s demande en attente, la plus ancienne d\u2019abord.", "%s pending request, oldest first."},
	"queue.counts":           {"%s demandes en attente, les plus anciennes d\u2019abord.", "%s pending requests, oldest first."},
	"queue.empty":            {"Aucune demande en attente.", "No pending request."},
	"queue.requested":        {"Demande du", "Requested on"},
	"queue.contact":          {"Personne-ressource", "Contact"},
	"queue.reason":           {"Motif du refus", "Reason for rejecting"},
	"queue.other":            {"Ou un autre motif", "Or another reason"},
	"queue.reason.sector":    {"Hors de l\u2019industrie technologique", "Outside the technology industry"},
	"queue.reason.notfound":  {"Entreprise introuvable", "Company not found"},
	"queue.reason.duplicate": {"Demande en double", "Duplicate request"},
	"queue.reason.outside":   {"Hors du Québec", "Outside Québec"},
	"queue.approved":         {"«\u00a0%s\u00a0» est approuvée.", "“%s” is approved."},
	"queue.rejected":         {"«\u00a0%s\u00a0» est refusée.", "“%s” is rejected."},
	"queue.already":          {"Cette demande a déjà été traitée.", "This request was already decided."},
	"signin.title":           {"Connexion à la console", "Sign in to the console"},
	"signin.email":           {"Courriel", "E-mail"},
	"signin.password":        {"Mot de passe", "Password"},
	"signin.submit":          {"Se connecter", "Sign in"},
	"signin.breakglass":      {"Connexion d’urgence avec le jeton d’administration", "Emergency sign-in with the admin token"},
	"signin.refused":         {"Courriel ou mot de passe incorrect.", "Wrong e-mail or password."},
	"signin.token.refused":   {"Jeton d’administration incorrect.", "Wrong admin token."},
	"signin.paused":          {"Trop d’essais. Réessayez dans quelques minutes.", "Too many attempts. Try again in a few minutes."},
	"signin.signedout":       {"Session fermée.", "Signed out."},
	"signin.passwordset":     {"Mot de passe enregistré. Vous pouvez vous connecter.", "Password saved. You can sign in."},
	"password.title":         {"Choisir votre mot de passe", "Choose your password"},
	"password.new":           {"Nouveau mot de passe", "New password"},
	"password.hint":          {"Au moins 12 caractères. Une phrase de quelques mots fait l’affaire.", "At least 12 characters. A phrase of a few words will do."},
	"password.submit":        {"Enregistrer", "Save"},
	"password.weak":          {"Le mot de passe doit compter de 12 à 256 caractères.", "The password must have 12 to 256 characters."},
	"password.badlink":       {"Ce lien a expiré ou a déjà servi. Demandez-en un nouveau à l’équipe.", "This link has expired or was already used. Ask the team for a new one."},
	"admin.token":            {"Jeton d'administration", "Admin token"},
	"admin.signin":           {"Ouvrir", "Open"},
	"admin.signout":          {"Fermer la session", "Sign out"},
	"admin.approve":          {"Approuver", "Approve"},
	"admin.reject":           {"Refuser", "Reject"},
	"admin.revoke":           {"Révoquer", "Revoke"},
	"admin.reason":           {"Motif ?", "Reason?"},
	"admin.embeds":           {"Sites du badge", "Badge sites"},
	"admin.foreign":          {"hors du domaine du membre", "outside the member's domain"},
	"admin.noembeds":         {"Aucun site n'affiche encore ce badge.", "No site shows this badge yet."},
	"admin.events":           {"Événements", "Events"},
	"admin.noevents":         {"Aucun événement. Créez-en un avec POST /api/v1/admin/events.", "No event. Create one with POST /api/v1/admin/events."},
	"admin.funnel":           {"%s scans → %s demandes → %s membres", "%s scans → %s requests → %s members"},
	"admin.empty":            {"Aucun membre dans cette liste.", "No member in this list."},
	"admin.noscript":         {"La console demande JavaScript ; l'API d'administration est décrite dans le README.", "The console needs JavaScript; the admin API is described in the README."},
	"status.pending":         {"En attente", "Pending"},
	"status.approved":        {"Approuvés", "Approved"},
	"status.rejected":        {"Refusés", "Rejected"},
	"status.revoked":         {"Révoqués", "Revoked"},
}

// Keys returns every message key, for tests.
func Keys() []string {
	out := make([]string, 0, len(messages))
	for k := range messages {
		out = append(out, k)
	}
	return out
}

// Has reports whether key names a message.
func Has(key string) bool { _, ok := messages[key]; return ok }

// T returns the message for key in the language. An unknown key comes back
// as itself, which tests catch.
func (l Lang) T(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m[0]
	if l == EN {
		s = m[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}
