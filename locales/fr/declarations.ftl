## Navigation
nav-declarations = Mes ventes

## Declaring (participant)
declare-title = Déclarer une vente
declare-sale-date = Date de la vente
declare-sale-date-hint = Les ventes des { $days } derniers jours peuvent être déclarées.
declare-channel = Canal
channel-in_store = En magasin
channel-online = En ligne
declare-invoice-ref = Numéro de facture ou de ticket
declare-invoice-ref-hint = Tel qu'imprimé sur la facture ou le ticket de caisse.
declare-lines = Produits vendus
declare-lines-hint = Une ligne par produit ; jusqu'à { $cap } unités par ligne.
declare-product = Produit
declare-product-hint = Nom ou référence
declare-quantity = Quantité
declare-unit-price = Prix unitaire
declare-line-points = { $points ->
    [one] 1 point
   *[other] { $points } points
}
declare-add-line = Ajouter une ligne
declare-preview = Voir mes points
declare-preview-hint = Remplissez les lignes pour voir les points que vous gagnerez.
declare-total-amount = Total de la vente
declare-total-points = Vous gagnerez { $points ->
    [one] 1 point
   *[other] { $points } points
} après validation.
declare-proofs = Justificatifs
declare-proofs-hint = Jusqu'à 5 photos ou PDF de la facture (JPEG, PNG, WebP ou PDF, 10 Mo chacun).
declare-reattach = Choisissez de nouveau vos justificatifs avant l'envoi.
declare-feedback-title = Retour client (facultatif)
declare-customer-type = Client
declare-customer-type-none = Non précisé
customer-type-new = Nouveau client
customer-type-regular = Client habituel
customer-type-professional = Professionnel
declare-feedback = Qu'a dit le client ?
declare-submit = Envoyer ma déclaration

## My declarations
declarations-title = Mes déclarations de ventes
declarations-empty = Vous n'avez encore déclaré aucune vente.
declarations-points = { $points ->
    [one] 1 point
   *[other] { $points } points
}
declarations-points-label = Points
declarations-invoice = Facture { $invoice }
declarations-partner = Partenaire
declarations-submitted = Envoyée le
declarations-reason = Motif
declarations-amount = Montant
declarations-total = Total
declarations-withdraw = Retirer cette déclaration
declarations-withdraw-hint = Une déclaration en attente peut être retirée tant qu'elle n'a pas été examinée.
declarations-proof-alt = Justificatif { $n }
declarations-proof-pdf = PDF : { $name }
declarations-size-kb = { $kb } Ko
declarations-no-partner = Les ventes sont déclarées par les participants d'un partenaire. Votre compte n'appartient à aucun partenaire.
declarations-sent = Déclaration envoyée : elle sera examinée sous peu.
declarations-sent-approved = Déclaration validée : vos points sont crédités.
declarations-withdrawn = Déclaration retirée.
declarations-withdraw-too-late = Cette déclaration a déjà été examinée : elle ne peut plus être retirée.
status-declaration-submitted = En attente
status-declaration-approved = Validée
status-declaration-rejected = Refusée
status-declaration-withdrawn = Retirée
source-portal = portail
source-import = import CSV

## Bulk declarations (participant)
declarations-import-title = Importer un fichier CSV
declarations-import-intro = Déclarez de nombreuses ventes d'un coup : une ligne par produit. Les lignes d'une même facture forment une déclaration. Rien n'est enregistré si une ligne est invalide, et les lignes déjà importées sont ignorées.
declarations-import-done = { $count ->
    [one] Une déclaration enregistrée
   *[other] { $count } déclarations enregistrées
} depuis { $file } ({ $skipped } lignes déjà importées).

## Review (admin)
review-title = Déclarations à examiner
review-body = Validez ou refusez les ventes déclarées par les participants.
review-count = { $count ->
    [one] Une déclaration
   *[other] { $count } déclarations
}
review-empty = Aucune déclaration ne correspond à ces filtres.
review-flag = Contrôle
review-flags = Contrôles
review-unflagged = Aucun contrôle levé
review-partner-code = Code partenaire
review-submitted-from = Envoyées à partir du
review-submitted-until = Envoyées jusqu'au
review-participant = Participant
review-select = Sélectionner
review-bulk-approve = Valider les déclarations sélectionnées
review-bulk-hint = Seules les déclarations en attente sans contrôle levé peuvent être validées en masse.
review-bulk-done = Validation en masse terminée.
review-bulk-outcome = { $approved } validées, { $skipped } ignorées (déjà traitées, signalées ou les vôtres).
review-decision = Décision
review-approve = Valider ({ $points ->
    [one] 1 point
   *[other] { $points } points
})
review-reject = Refuser
review-reverse = Refuser et reprendre les points
review-reverse-hint = Les points gagnés sont repris par une écriture de correction dans le registre.
review-reason = Motif
review-reason-written = Autre motif (à écrire ci-dessous)
review-reason-text = Motif rédigé
review-history = Historique
review-automatic = validation automatique
review-partner-history = Dernières déclarations de { $partner }
review-supply = Sell-in et stock initial
review-approved-sold = Sell-out validé
review-declared = Déclaré ici
review-approved = Déclaration validée.
review-rejected = Déclaration refusée.
review-already-decided = Cette déclaration a déjà été traitée.
review-points-spent = Le participant a déjà dépensé ces points : ils ne peuvent pas être repris.
review-own-declaration = Vous ne pouvez pas valider votre propre déclaration : un autre administrateur doit l'examiner.
review-rules-saved = Règles enregistrées.
flag-duplicate_invoice = Même facture
flag-duplicate_invoice-reason = Ce partenaire a déjà déclaré ce numéro de facture.
flag-exceeds_stock = Au-delà du stock
flag-exceeds_stock-reason = Le sell-out validé d'un produit dépasserait le sell-in du partenaire plus son stock initial.
flag-over_threshold = Montant élevé
flag-over_threshold-reason = Les points dépassent le seuil de validation automatique.
flag-daily_limit = Nombreuses aujourd'hui
flag-daily_limit-reason = Le participant a déclaré plus que la limite quotidienne aujourd'hui.
reason-no-proof = Aucun justificatif de la vente.
reason-unreadable-proof = Le justificatif est illisible.
reason-duplicate = Cette vente a déjà été déclarée.
reason-not-our-product = La facture ne montre pas nos produits.
reason-quantity-mismatch = Les quantités ne correspondent pas à la facture.
reason-outside-window = La vente est trop ancienne pour être déclarée.

## Rules (admin)
rules-title = Règles des déclarations
rules-window-days = Délai de déclaration (jours après la vente)
rules-max-quantity-per-line = Unités maximum par ligne
rules-max-declarations-per-day = Déclarations par participant et par jour avant examen
rules-auto-approve = Valider automatiquement ce qui ne lève aucun contrôle
rules-auto-approve-hint = Les déclarations avec une facture déjà déclarée, au-delà du stock connu, au-dessus du seuil ou au-delà de la limite quotidienne attendent toujours un examen.
rules-auto-approve-max-points = Seuil d'examen (points)
rules-stock-out-weeks = Risque de rupture sous (semaines de couverture)
rules-overstock-weeks = Surstock au-delà de (semaines de couverture)

## Field errors
error-quantity-whole = Saisissez un nombre entier d'unités.
error-quantity-positive = Saisissez au moins 1 unité.
error-quantity-cap = { $cap } unités au plus par ligne.
error-date-invalid = Saisissez une date telle que 23/11/2026.
error-date-out-of-range = Saisissez une date entre 2000 et 2100.
error-sale-date-future = La date de vente ne peut pas être dans le futur.
error-sale-date-too-old = Les ventes de plus de { $days } jours ne peuvent plus être déclarées.
error-channel-invalid = Choisissez en magasin ou en ligne.
error-customer-type-invalid = Choisissez l'un des types de client proposés.
error-product-unknown = Aucun produit ne porte ce nom ou cette référence.
error-product-inactive = Ce produit ne peut plus être déclaré.
error-lines-required = Déclarez au moins un produit.
error-lines-too-many = 30 lignes au plus par déclaration.
error-proofs-too-many = 5 fichiers au plus.
error-proof-too-large = Chaque fichier ne doit pas dépasser 10 Mo.
error-proof-type = Les justificatifs doivent être des photos JPEG, PNG ou WebP, ou des PDF.
error-proof-unreadable = Cette image est illisible.
error-reason-required = Choisissez un motif ou rédigez-en un.
error-number-range = Saisissez un nombre entier dans les limites autorisées.
error-overstock-below-stock-out = Le seuil de surstock doit être au-dessus du seuil de rupture.

## E-mails
emails-template-declaration_approved = Déclaration validée
emails-template-declaration_rejected = Déclaration refusée
email-declaration-approved-subject = { $tenant } : votre vente est validée
email-declaration-rejected-subject = { $tenant } : votre déclaration de vente n'a pas été validée
email-declaration-approved-body = Votre déclaration de la facture { $invoice } ({ $date }) est validée.
email-declaration-rejected-body = Votre déclaration de la facture { $invoice } ({ $date }) n'a pas été validée.
email-declaration-points = { $points } points crédités
email-declaration-reason = Motif :
email-declaration-reversed = Les { $points } points qu'elle avait rapportés sont repris.
email-declaration-button = Voir ma déclaration

## Audit
audit-action-declaration-approved = Déclaration validée
audit-action-declaration-rejected = Déclaration refusée
audit-action-declaration-reversed = Déclaration validée puis refusée (points repris)
audit-action-declaration-withdrawn = Déclaration retirée
audit-action-declaration-rules-updated = Règles des déclarations modifiées
audit-action-import-sell-out = Sell-out importé
audit-action-import-sell-in = Sell-in importé
audit-action-import-opening-stock = Stock initial importé

## Stock (studio)
stock-title = Stock chez les partenaires
stock-body = Le sell-in face au sell-out validé : le stock de chaque partenaire, avec alertes de rupture et de surstock.
stock-partner-title = Stock chez { $partner }
stock-partner-link = Stock chez ce partenaire
stock-intro = Sell-in et sell-out validé sur la période ; le stock implicite est le stock initial plus tout le sell-in moins tout le sell-out validé jusqu'à la fin de la période. Les semaines de couverture sont calculées au rythme de sell-out des 8 dernières semaines : sous { $low } semaines, risque de rupture ; au-delà de { $high } semaines (ou sans aucune vente), surstock.
stock-export = Exporter en CSV
stock-category = Catégorie
stock-alert = Alerte
stock-alert-stock_out_risk = Risque de rupture
stock-alert-overstock = Surstock
stock-sort = Trier par
stock-sort-partner = Partenaire
stock-sort-product = Produit
stock-sort-sell_in = Sell-in
stock-sort-sell_out = Sell-out
stock-sort-stock = Stock implicite
stock-sort-cover = Semaines de couverture
stock-direction = Ordre
stock-ascending = Croissant
stock-descending = Décroissant
stock-counts = { $risks } risques de rupture, { $overstocks } surstocks.
stock-sell-in = Sell-in
stock-sell-out = Sell-out validé
stock-implied = Stock implicite
stock-cover = Couverture
stock-weeks = { $weeks },{ $tenth } sem.
stock-empty = Aucun sell-in, sell-out ni stock initial ne correspond à ces filtres.
stock-how = Le sell-in et le stock initial s'importent depuis des fichiers CSV :

## Imports of sell-in, opening stock and sell-out
imports-kind-sell_in = Sell-in
imports-kind-opening_stock = Stock initial
imports-kind-sell_out = Déclarations de sell-out
imports-col-sell_in-partner_code = Le code externe du partenaire à qui la marque a vendu.
imports-col-sell_in-sku = La référence du produit.
imports-col-sell_in-date = La date de livraison ou de facture, p. ex. 2026-11-23 ou 23/11/2026.
imports-col-sell_in-quantity = Unités vendues (négatif pour un retour).
imports-col-sell_in-amount = Le montant facturé, p. ex. 1290,00 (négatif pour un avoir).
imports-col-sell_in-reference = La référence de ligne de votre ERP ; sans elle, des lignes identiques d'un fichier ultérieur ne comptent comme nouvelles livraisons qu'au-delà du nombre déjà importé.
imports-col-opening_stock-partner_code = Le code externe du partenaire.
imports-col-opening_stock-sku = La référence du produit.
imports-col-opening_stock-quantity = Unités en stock chez le partenaire avant le premier sell-in.
imports-col-sell_out-invoice_ref = Le numéro de facture ou de ticket du partenaire ; les lignes de même numéro forment une déclaration.
imports-col-sell_out-line = Le numéro de ligne dans la facture (1, 2…) : avec le partenaire et la facture, il identifie la ligne.
imports-col-sell_out-sale_date = La date de vente, dans le délai de déclaration.
imports-col-sell_out-channel = in_store (en magasin) ou online (en ligne).
imports-col-sell_out-sku = La référence du produit.
imports-col-sell_out-quantity = Unités vendues.
imports-col-sell_out-unit_price = Le prix unitaire ; vide : le prix du produit.
imports-col-sell_out-partner_code = Le code externe du partenaire (obligatoire quand la marque importe).
imports-col-sell_out-participant_email = Le participant qui gagne les points (obligatoire quand la marque importe ; un participant peut nommer un collègue).
imports-col-sell_out-customer_type = new (nouveau), regular (habituel) ou professional (professionnel).
declarations-import-columns-hint = Votre partenaire et votre compte sont utilisés quand partner_code et participant_email sont vides.
error-import-sku-unknown = Aucun produit n'a la référence { $value }.
error-import-quantity-invalid = Saisissez un nombre entier d'unités.
error-import-line-invalid = Saisissez un numéro de ligne de 1 à 10000.
error-import-not-your-partner = { $value } n'est pas votre partenaire.
error-import-participant-unknown = Aucun participant n'a l'adresse { $value }.
error-import-participant-other-partner = { $value } appartient à un autre partenaire.
error-import-invoice-mismatch = Les lignes de la facture { $value } doivent avoir la même date, le même canal et le même participant (voir ligne { $line }).
error-import-invoice-too-many-lines = La facture { $value } (à partir de la ligne { $line }) a plus de 30 lignes, le maximum pour une déclaration.
error-import-imported-meanwhile = La facture { $value } a été importée entre-temps par un autre envoi : envoyez de nouveau le fichier pour ajouter le reste.
error-import-quantity-cap = Plus d'unités que le programme n'en autorise par ligne.
error-import-sale-date-too-old = Cette vente est plus ancienne que le délai de déclaration.
review-changed-meanwhile = Quelqu’un d’autre a traité cette déclaration pendant que vous la consultiez. Rien n’a été modifié : voyez son nouveau statut ci-dessous.
