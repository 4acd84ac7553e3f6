## Navigation et mise en page
nav-label = Navigation principale
nav-home = Accueil
nav-studio = Studio
nav-admin = Administration
nav-language = Langue
nav-language-apply = Changer
nav-logout = Se déconnecter
nav-menu = Menu
footer-powered-by = Propulsé par Relais

## Connexion
login-title = Connexion
login-heading = Connexion à { $tenant }
login-email = E-mail
login-password = Mot de passe
login-submit = Se connecter
login-invalid = E-mail ou mot de passe incorrect.
login-too-many-attempts = Trop de tentatives. Veuillez réessayer plus tard.

## Accueil participant
home-title = Accueil
home-welcome = Bienvenue, { $name } !
home-points-title = Mes points
home-points-unit = points disponibles
home-points-held = { $points } points réservés pour vos commandes en attente.
home-action-declare = Déclarer une vente
home-action-catalog = Ouvrir le catalogue
home-monthly-rank = { $rank }ᵉ sur { $count } ce mois-ci ({ $points } points)
home-see-all = Tout voir
home-rank = Rang { $rank } sur { $count }
home-more-challenges = { $count ->
    [one] Encore un challenge en cours
   *[other] Encore { $count } challenges en cours
}
home-missions-title = Missions à faire
home-more-missions = { $count ->
    [one] Encore une mission à faire
   *[other] Encore { $count } missions à faire
}
home-missions-none = Rien à faire pour l’instant : les nouvelles missions apparaîtront ici.
home-rewards-title = Cadeaux à portée de main
home-reward-affordable = Dans votre solde
home-declarations-title = Mes dernières déclarations
home-declarations-none = Aucune déclaration pour l’instant : déclarez votre première vente pour gagner des points.
home-points-expiring = { $points } points expirent dans les 90 jours : profitez-en !

## Studio
studio-title = Studio
studio-intro = Configurez le programme { $tenant } : produits, partenaires, segments, missions, stock et imports.

## Administration
admin-title = Administration
admin-theme-body = Nom, couleurs, logo et langue par défaut du portail.
admin-users-body = Comptes des participants, marketeurs et administrateurs.

## Thème
theme-title = Thème
theme-name = Nom du programme
theme-primary-color = Couleur principale
theme-accent-color = Couleur d’accent
theme-default-locale = Langue par défaut
theme-logo = Logo
theme-logo-hint = PNG, JPEG ou WebP, 1 Mo maximum. Laissez vide pour garder le logo actuel.
theme-save = Enregistrer le thème
theme-saved = Thème enregistré.
theme-preview = Aperçu
theme-preview-body = Voici comment vos participants verront le portail.
theme-preview-button = Déclarer une vente
theme-preview-badge = Or

## Utilisateurs
users-title = Utilisateurs
users-name = Nom
users-email = E-mail
users-role = Rôle
users-status = Statut
users-search-hint = Nom ou e-mail
users-count = { $count ->
    [one] { $count } utilisateur
   *[other] { $count } utilisateurs
}
users-active-badge = Actif
users-disabled-badge = Désactivé
users-invited-badge = Invité, jamais connecté
users-disable = Désactiver le compte
users-enable = Réactiver le compte
users-disabled = Compte désactivé.
users-enabled = Compte réactivé.
users-cannot-disable-self = Vous ne pouvez pas désactiver votre propre compte.
role-participant = Participant
role-marketer = Marketeur
role-admin = Administrateur

## Erreurs de saisie
error-required = Ce champ est obligatoire.
error-too-long = C’est trop long.
error-email-invalid = Saisissez une adresse e-mail valide.
error-email-taken = Un compte existe déjà avec cet e-mail.
error-password-too-short = Le mot de passe doit comporter au moins 10 caractères.
error-color-invalid = Saisissez une couleur sous la forme # suivi de six chiffres hexadécimaux, par ex. #1f6f5c.
error-color-contrast = Cette couleur est trop claire : le texte blanc posé dessus et les liens de cette couleur passeraient sous le contraste de 4,5:1 exigé par le WCAG AA. Choisissez une teinte plus foncée.
theme-primary-hint = Utilisée pour la barre du haut, les boutons et les liens : elle doit garder un contraste de 4,5:1 avec le blanc.
error-locale-invalid = Choisissez l’une des langues proposées.
error-logo-type = Le logo doit être une image PNG, JPEG ou WebP.
error-logo-too-large = Le logo ne doit pas dépasser 1 Mo.
error-slug-invalid = Utilisez uniquement des minuscules, des chiffres et des tirets.
error-slug-taken = Cet identifiant est déjà pris.
error-domain-taken = Ce domaine est déjà utilisé par un autre programme.

## Pages d’erreur
error-403-title = Accès refusé
error-403-body = Votre compte ne donne pas accès à cette page.
error-404-title = Page introuvable
error-404-body = Il n’y a rien à cette adresse.
error-500-title = Un problème est survenu
error-500-body = Nous n’avons pas pu traiter votre demande. Veuillez réessayer dans un instant.
error-4xx-title = Requête refusée
error-4xx-body = La requête n’a pas pu être comprise. Revenez en arrière et réessayez.
error-back-home = Retour à l’accueil

## Listes et filtres
filter-all = Tous
filter-from = Du
filter-until = Au
filter-apply = Filtrer
pager-previous = Précédent
pager-next = Suivant
admin-audit-body = Qui a modifié quoi, et quand.
error-refused-back = Revenez en arrière, corrigez et envoyez de nouveau : ce que vous avez saisi est toujours dans le formulaire.
error-field-nul = Le champ « { $field } » contient un caractère NUL (\0), qui ne peut pas être enregistré. Retirez-le et envoyez de nouveau.
error-form-too-large = Ce formulaire est trop volumineux : { $limit } au plus peuvent être envoyés à la fois.
error-upload-too-large = Cet envoi est trop volumineux : { $limit } au plus au total. Envoyez des fichiers plus petits, ou moins à la fois.
error-form-field-missing = Le formulaire est arrivé sans son champ « { $field } ». Rechargez la page et envoyez-le de nouveau.
error-form-unreadable = Le formulaire n’a pas pu être lu. Rechargez la page et envoyez-le de nouveau.
error-field-unreadable = Le champ « { $field } » n’a pas pu être lu. Rechargez la page et envoyez-le de nouveau.
