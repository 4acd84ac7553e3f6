## Points : relevé
nav-points = Mes points
points-title = Mes points
points-available = Disponibles
points-held = Réservés
points-expiring-soon = Expirent dans les 90 jours
points-export-csv = Exporter en CSV
points-no-movement = Aucun mouvement sur cette période.
points-date = Date
points-reason = Motif
points-amount = Points
points-balance = Solde
points-opening = Solde au début de la période
points-kind-earn = Gagnés
points-kind-adjust = Ajustement
points-kind-hold = Réservés
points-kind-capture = Dépensés
points-kind-release = Libérés
points-kind-expire = Expirés
points-kind-reversal = Correction
points-cause-declaration = Déclaration n° { $id }
points-cause-mission = Mission n° { $id }
points-cause-challenge = Challenge n° { $id }
points-cause-redemption = Commande de cadeau n° { $id }
points-cause-manual = Manuel n° { $id }

## Points : administration
admin-points-body = Soldes par participant, ajustements et engagement du programme.
points-admin-title = Points
points-outstanding = Points en circulation
points-expiring-by-month = Expiration par mois
points-month = Mois
points-balances = Soldes par participant
points-partner = Partenaire
points-sort = Trier par
points-sort-available-desc = Le plus de points d’abord
points-sort-available-asc = Le moins de points d’abord
points-sort-name = Nom
points-sort-partner = Partenaire
points-adjust-title = Ajuster les points
points-adjust-amount = Points à ajouter (négatif pour retirer)
points-adjust-amount-hint = Par exemple 250 ou -100.
points-adjust-submit = Enregistrer l’ajustement
points-adjusted = Ajustement enregistré.
error-points-insufficient = Le participant n’a pas autant de points disponibles.
error-points-nonzero = Saisissez un nombre de points différent de zéro.
error-points-integer = Saisissez un nombre entier de points.
error-participant-unknown = Ce participant n’existe pas.

## Points : e-mail
email-points-expiring-subject = Vos points { $tenant } expirent bientôt
email-points-expiring-body = { $points } de vos points expirent le { $date } ; après cette date, ils quittent votre solde.
email-points-expiring-button = Voir mes points
emails-template-points_expiring = Points bientôt expirés
points-by-partner = Points par partenaire
points-participants = Participants
error-points-resubmitted = Ce formulaire a déjà été envoyé avec d’autres valeurs. Rechargez la page et réessayez.
