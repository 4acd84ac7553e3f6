# Badges et classement mensuel.
nav-badges = Badges
nav-leaderboard = Classement

badges-title = Mes badges
badges-intro = Les badges récompensent ce que vous faites dans le programme. Chacun se gagne une fois.
badges-earned = Gagnés
badges-earned-on = Gagné le { $date }
badges-points = +{ $points } points
badges-earned-empty = Pas encore de badge : votre première déclaration validée vous en rapporte un.
badges-locked = À gagner
badges-how = Comment le gagner :
badges-worth = Vaut { $points } points

badge-first-declaration-name = Première vente
badge-first-declaration-rule = Faites valider votre première déclaration.
badge-declarations-10-name = 10 ventes
badge-declarations-10-rule = Faites valider 10 déclarations.
badge-declarations-50-name = 50 ventes
badge-declarations-50-rule = Faites valider 50 déclarations.
badge-declarations-100-name = 100 ventes
badge-declarations-100-rule = Faites valider 100 déclarations.
badge-month-missions-name = Mission accomplie
badge-month-missions-rule = Réalisez toutes les missions qui vous sont ouvertes sur un mois civil (celles qui commencent et finissent dans ce mois).
badge-challenge-podium-name = Sur le podium
badge-challenge-podium-rule = Terminez premier, deuxième ou troisième d’un challenge.
badge-streak-weeks-name = Sur sa lancée
badge-streak-weeks-rule = Vendez chaque semaine pendant { $weeks } semaines d’affilée : une déclaration validée dont la date de vente tombe dans chaque semaine (du lundi au dimanche).

leaderboard-title = Classement du mois
leaderboard-intro = Points gagnés pendant le mois (déclarations, missions, challenges, badges). Les points repris après une correction ne comptent pas.
leaderboard-month = Mois
leaderboard-show = Afficher
leaderboard-board = Classement des
leaderboard-people = Participants
leaderboard-partners = Partenaires
leaderboard-scope = Comparé à
leaderboard-region = Ma région ({ $region })
leaderboard-national = National ({ $country })
leaderboard-everyone = Tout le monde
leaderboard-my-rank = Vous êtes { $rank }ᵉ sur { $total } avec { $points } points.
leaderboard-our-rank = Votre partenaire est { $rank }ᵉ sur { $total } avec { $points } points.
leaderboard-not-ranked = Vous n’avez pas encore gagné de points ce mois-ci : une déclaration validée vous place au classement.
leaderboard-rank = Rang
leaderboard-partner = Partenaire
leaderboard-participant = Participant
leaderboard-points = Points
leaderboard-empty = Personne n’a encore gagné de points ce mois-ci.

studio-badges-title = Badges
studio-badges-body = Noms, images et points des badges que gagnent les participants.
studio-badges-intro = Les règles sont intégrées ; donnez à chaque badge votre nom, votre description, votre image et des points, ou désactivez-le.
studio-badges-name = Nom
studio-badges-name-hint = Laissez vide pour le nom standard, traduit pour chaque participant.
studio-badges-rule = Règle
studio-badges-points = Points
studio-badges-points-hint = Points gagnés avec le badge, une fois (0 : aucun).
studio-badges-status = Statut
studio-badges-description = Description
studio-badges-description-hint = Laissez vide pour afficher la règle.
studio-badges-weeks = Semaines d’affilée
studio-badges-weeks-hint = De 2 à 52 semaines.
studio-badges-active = Les participants peuvent gagner ce badge
studio-badges-image = Image
studio-badges-no-image = Pas d’image : une étoile est affichée.
studio-badges-choose-image = Choisir une image
studio-badges-image-hint = JPEG, PNG ou WebP, { $max } Mo au plus ; affichée ronde.
studio-badges-upload = Envoyer
studio-badges-remove-image = Retirer l’image
studio-badges-saved = Badge enregistré.
studio-badges-image-saved = Image enregistrée.
studio-badges-image-removed = Image retirée.

error-badge-name-length = 80 caractères au plus.
error-badge-description-length = 500 caractères au plus.
error-badge-points = Un nombre entier de 0 à 1 000 000.
error-badge-weeks = Un nombre entier de semaines de 2 à 52.

email-badge-earned-subject = { $tenant } : vous avez gagné un badge
email-badge-earned-body = Bravo, vous avez gagné un nouveau badge :
email-badge-earned-points = Il vous rapporte { $points } points.
email-badge-earned-button = Voir mes badges

audit-action-badge-updated = Badge modifié

emails-template-badge_earned = Badge gagné
points-cause-badge = Badge
