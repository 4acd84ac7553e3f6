## Invitations, mots de passe
account-set-password-title = Choisissez votre mot de passe
account-invitation-heading = Bienvenue chez { $tenant }
account-reset-heading = Choisissez un nouveau mot de passe
account-set-password-intro = { $name }, choisissez le mot de passe qui vous servira à vous connecter.
account-new-password = Nouveau mot de passe
account-confirm-password = Confirmez le mot de passe
account-password-hint = Au moins 10 caractères.
account-save-password = Enregistrer mon mot de passe
account-password-mismatch = Les deux mots de passe sont différents.
account-password-set = Votre mot de passe est enregistré. Vous pouvez maintenant vous connecter.
account-link-problem-title = Ce lien ne fonctionne plus
account-link-unknown = Ce lien n’est pas valide. Vérifiez que vous l’avez copié en entier.
account-link-expired = Ce lien a expiré.
account-link-used = Ce lien a déjà été utilisé, ou un lien plus récent a été envoyé.
account-link-ask-new = Vous pouvez demander un nouveau lien pour choisir votre mot de passe.
account-forgot-link = Mot de passe oublié ?
account-forgot-title = Réinitialiser votre mot de passe
account-forgot-intro = Saisissez votre adresse e-mail : si elle correspond à un compte, nous vous enverrons un lien pour choisir un nouveau mot de passe.
account-forgot-submit = M’envoyer un lien
account-forgot-sent = Si un compte existe pour cette adresse, un e-mail contenant un lien est en route. Consultez votre boîte de réception.
account-back-to-login = Retour à la connexion

## Utilisateurs : invitations
users-invite-title = Inviter quelqu’un
users-invite-submit = Envoyer l’invitation
users-invited = Invitation envoyée.
users-reinvite = Envoyer une nouvelle invitation
users-language = Langue
users-language-default = La langue du programme
error-role-invalid = Choisissez l’un des rôles proposés.

## E-mails (administration)
emails-title = E-mails
admin-emails-body = E-mails en attente, envoyés et en échec, avec un bouton pour réessayer.
emails-empty = Aucun e-mail ici.
emails-created = Créé
emails-to = Destinataire
emails-kind = E-mail
emails-status = Statut
emails-attempts = Tentatives
emails-error = Dernière erreur
emails-error-history = Les { $count } erreurs
emails-error-attempt = Tentative { $attempt }
emails-retry = Réessayer
emails-retried = L’e-mail est de nouveau en file d’attente.
emails-retry-not-failed = Seul un e-mail en échec peut être renvoyé.
emails-status-queued = En attente
emails-status-running = En cours d’envoi
emails-status-done = Envoyé
emails-status-failed = En échec
emails-template-invitation = Invitation
emails-template-password_reset = Réinitialisation du mot de passe

## E-mails (contenu)
email-greeting = Bonjour { $name },
email-footer = Vous recevez cet e-mail en tant que membre du programme { $tenant }.
email-link-expires = Ce lien fonctionne pendant { $hours } heures et une seule fois.
email-invitation-subject = Votre invitation au programme { $tenant }
email-invitation-body = Vous êtes invité(e) à rejoindre le programme partenaires { $tenant } : déclarez vos ventes et gagnez des points.
email-invitation-button = Choisir mon mot de passe
email-password-reset-subject = Réinitialisez votre mot de passe { $tenant }
email-password-reset-body = Quelqu’un a demandé la réinitialisation du mot de passe de votre compte { $tenant }.
email-password-reset-button = Choisir un nouveau mot de passe
email-password-reset-ignore = Si ce n’était pas vous, ignorez cet e-mail : votre mot de passe reste inchangé.

## Développement
dev-mail-title = E-mails envoyés (développement)
dev-mail-intro = E-mails écrits par le transport fichier de développement, du plus récent au plus ancien.
dev-mail-empty = Aucun e-mail pour l’instant.

users-change-role = Changer le rôle
users-role-changed = Rôle modifié.
users-cannot-change-own-role = Vous ne pouvez pas changer votre propre rôle.
users-partner-code = Code du partenaire
users-partner-code-hint = Participants uniquement : le code externe de leur pharmacie ou magasin (par ex. PH-75-0012).
error-partner-required = Un participant a besoin du code de son partenaire.
error-partner-unknown = Aucun partenaire actif n’a ce code.
