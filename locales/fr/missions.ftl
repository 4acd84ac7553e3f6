## Missions : navigation et accueils
nav-missions = Missions
studio-missions-body = Quiz, questionnaires, missions photo et vidéo pour vos participants, avec leurs résultats.

## Missions : vocabulaires
mission-kind-quiz = Quiz
mission-kind-survey = Questionnaire
mission-kind-photo = Photo
mission-kind-video = Vidéo
mission-status-draft = Brouillon
mission-status-published = Publiée
mission-status-archived = Archivée
mission-limit-once = Une fois
mission-limit-times = Un nombre de fois
mission-limit-weekly = Une fois par semaine
mission-limit-monthly = Une fois par mois
question-kind-single = Choix unique
question-kind-multiple = Choix multiple
question-kind-short_text = Texte court
question-kind-long_text = Texte long
question-kind-rating = Note de 1 à 5

## Missions : studio
missions-studio-title = Missions
missions-studio-intro = Les quiz et les vidéos forment votre réseau ; les questionnaires et les photos de rayon font remonter ce que voit le terrain. Les participants voient les missions publiées pendant leur période, s'ils sont dans l'un des segments de la mission.
missions-studio-empty = Aucune mission pour l'instant.
missions-new = Nouvelle mission
missions-new-hint = La mission est créée en brouillon : ajoutez ses questions, puis publiez-la.
missions-create = Créer la mission
missions-created = Mission créée. Ajoutez ses questions, puis publiez-la.
missions-saved = Mission enregistrée.
missions-title-label = Titre
missions-description = Description
missions-kind = Type
missions-status = Statut
missions-points = Points
missions-window = Période
missions-questions = Questions
missions-results = Résultats
missions-starts-on = Premier jour
missions-ends-on = Dernier jour
missions-days-hint = Jours du fuseau horaire du programme ({ $zone }) : la mission ouvre au début du premier jour et ferme à la fin du dernier.
missions-limit = Limite de réalisation
missions-max-completions = Nombre de fois
missions-max-completions-hint = Seulement pour « Un nombre de fois » : de 2 à 100.
missions-segments = Segments éligibles
missions-segments-hint = Aucun coché : tous les participants.
missions-position = Ordre
missions-position-hint = Les plus petits nombres passent en premier sur la page des participants.
missions-quiz-rules = Règles du quiz
missions-quiz-rules-hint = Seulement pour les quiz.
missions-pass-mark = Seuil de réussite (%)
missions-max-attempts = Tentatives autorisées
missions-time-limit = Temps limite (minutes, facultatif)
missions-locked-hint = Cette mission a été publiée : son type, ses points, son premier jour, sa limite de réalisation et les règles du quiz ne peuvent plus changer. Son texte, son dernier jour, son ordre et ses segments, si.
missions-settings = Paramètres
missions-make-published = Publier
missions-make-archived = Archiver
missions-make-draft = Repasser en brouillon
missions-status-changed = Statut modifié.
missions-add-question = Ajouter la question
missions-question-kind = Type de question
missions-prompt = Question
missions-required = Réponse obligatoire
missions-optional = facultatif
missions-options = Choix
missions-options-hint-quiz = Au moins deux choix ; cochez les bons (un seul pour un choix unique). Les lignes vides sont ignorées.
missions-options-hint-survey = Pour les questions à choix : au moins deux choix. Les lignes vides sont ignorées.
missions-option-n = Choix { $n }
missions-correct = Bonne réponse
missions-move-up = Monter
missions-move-down = Descendre
missions-delete-question = Supprimer
missions-no-questions = Aucune question pour l'instant.
missions-question-added = Question ajoutée.
missions-question-deleted = Question supprimée.
missions-question-moved = Question déplacée.

## Missions : résultats
missions-results-title = Résultats : { $title }
missions-export-csv = Exporter les réponses (CSV)
missions-eligible = Éligibles
missions-started = Commencées
missions-completed = Réalisées
missions-completion-rate = Taux de réalisation
missions-average-score = Score moyen
missions-most-failed = Questions les plus manquées
missions-question = Question
missions-failed = Mauvaises réponses
missions-answered = Réponses
missions-no-failures = Aucune mauvaise réponse pour l'instant.
missions-answers = Réponses
missions-submissions = { $count ->
    [one] Une réponse envoyée.
   *[other] { $count } réponses envoyées.
}
missions-choice = Choix
missions-count = Nombre
missions-rating = Note
missions-no-answers = Aucune réponse pour l'instant.

## Missions : participants
missions-title = Mes missions
missions-intro = Réalisez des missions pour gagner des points : répondez aux quiz, donnez votre avis dans les questionnaires, photographiez vos mises en avant, regardez les vidéos de formation.
missions-todo = À faire
missions-todo-empty = Rien à faire pour le moment.
missions-done = Terminées
missions-done-empty = Aucune mission terminée pour l'instant.
missions-expired = Expirées
missions-expired-empty = Aucune mission expirée.
missions-points-value = { $points ->
    [one] { $points } point
   *[other] { $points } points
}
missions-until = Jusqu'au { $date }
missions-deadline = Se termine le
missions-attempts = Tentatives
missions-attempts-left = { $count ->
    [one] Une tentative restante
   *[other] { $count } tentatives restantes
}
missions-attempts-left-of = { $left } sur { $max } restantes
missions-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
missions-not-passed = Non réussi
missions-done-badge = { $count ->
    [one] Terminée
   *[other] Terminée { $count } fois
}
missions-closed = Cette mission est fermée.
missions-last-result = Votre dernière tentative
missions-passed = Réussi
missions-failed-badge = Non réussi
missions-timed-out = Temps écoulé : cette tentative compte comme non réussie
missions-answer-before = Envoyez vos réponses avant { $time }.
missions-start-quiz = Commencer le quiz
missions-retry-quiz = Réessayer
missions-submit-quiz = Envoyer mes réponses
missions-submit-survey = Envoyer mes réponses
missions-corrections = Corrigé
missions-right = Juste
missions-wrong = Faux
missions-your-answer = votre réponse
missions-my-answers = Vos réponses
missions-rating-hint = 1 = mauvais, 5 = excellent
missions-several-hint = Plusieurs réponses possibles.
missions-quiz-started = Quiz commencé : bonne chance !
missions-quiz-passed = Bravo, c'est réussi ! Les points sont sur votre relevé.
missions-quiz-failed = Pas réussi cette fois-ci.
missions-quiz-timed-out = Temps écoulé : cette tentative compte comme non réussie.
missions-survey-thanks = Merci pour vos réponses ! Les points sont sur votre relevé.

## Missions : erreurs
error-mission-number = Saisissez un nombre entier dans les limites permises.
error-mission-date = Saisissez une date au format AAAA-MM-JJ.
error-mission-ends-before = Le dernier jour ne peut pas précéder le premier.
error-mission-kind = Choisissez un quiz ou un questionnaire.
error-mission-limit = Choisissez l'une des limites proposées.
error-mission-segment = Choisissez parmi les segments existants.
error-mission-locked = Cette mission est publiée : cette valeur décide des points et ne peut plus changer.
error-mission-status = Cette mission ne peut pas passer à ce statut.
error-mission-no-questions = Ajoutez au moins une question avant de publier.
error-mission-questions-locked = Les questions d'une mission publiée ne peuvent plus changer.
error-question-kind = Choisissez l'un des types de question proposés.
error-question-options = Donnez au moins deux choix.
error-question-correct = Cochez les bonnes réponses : une seule pour un choix unique, au moins une pour un choix multiple.
error-question-too-many = Une mission compte au plus 50 questions.
error-mission-closed = Cette mission est fermée : les réponses ne sont plus acceptées.
error-mission-already-done = Vous avez déjà réalisé cette mission autant de fois que permis.
error-mission-no-attempts = Vous avez utilisé toutes vos tentatives pour ce quiz.
error-attempt-submitted = Cette tentative a déjà été envoyée.
error-answer-required = Cette question demande une réponse.
error-answer-foreign-option = Ce choix n'appartient pas à cette question.
error-answer-foreign-question = Ces réponses citent une question qui ne fait pas partie de cette mission. Rechargez la page et répondez à nouveau.
error-answer-one-choice = Choisissez une seule réponse.
error-answer-rating = Choisissez une note de 1 à 5.

## Missions: audit
audit-action-mission-created = Mission créée
audit-action-mission-updated = Mission modifiée
audit-action-mission-status = Statut de mission modifié
audit-action-mission-question-added = Question de mission ajoutée
audit-action-mission-question-deleted = Question de mission supprimée

## Missions: photo and video
missions-options-hint-video = Le quiz de fin, à réussir après la vidéo : au moins deux choix ; cochez les bons (un seul pour un choix unique). Les lignes vides sont ignorées.
missions-photo-rules = Mission photo
missions-instructions = Ce qu'il faut photographier
missions-photos-required = Photos demandées
missions-photos-required-hint = De 1 à 5. Les participants peuvent en envoyer jusqu'à 5.
missions-products-hint = Facultatif : les produits que les photos doivent montrer (Ctrl ou ⌘ pour en choisir plusieurs).
missions-video-rules = Mission vidéo
missions-duration = Durée de la vidéo (secondes)
missions-duration-hint = Lue dans le fichier envoyé ; à saisir seulement si le fichier ne l'indique pas.
missions-duration-value = Durée : { $seconds } s
missions-duration-upload-hint = Remplie au choix du fichier (si votre navigateur sait la lire) ; laissez vide pour la lire dans le fichier.
missions-media = Images et vidéo
media-role-cover = Image de couverture
media-role-example = Photo d'exemple
media-role-video = Vidéo
missions-no-media = Aucune pour l'instant.
missions-choose-file = Fichier
missions-video-hint = MP4 ou WebM, jusqu'à { $mb } Mo. La vidéo décide quand la mission est accomplie : elle ne change que tant que la mission est un brouillon.
missions-image-hint = JPEG, PNG ou WebP, jusqu'à { $mb } Mo.
missions-upload = Envoyer
missions-media-saved = Fichier enregistré.
missions-follow-up-quiz = Quiz de fin (facultatif)
missions-video = Vidéo
missions-video-seen = Vu :
missions-video-rule = La mission est accomplie quand vous avez regardé au moins 90 % de la vidéo ; avancer directement à la fin ne compte pas.
missions-video-watched = Regardée
missions-video-quiz-after = Une fois la vidéo regardée, un court quiz s'ouvre.
missions-photo-task = Vos photos
missions-photos-hint = Envoyez { $count ->
    [one] une photo
   *[other] { $count } photos
} (jusqu'à { $max }), prises avec votre téléphone ou choisies dans vos fichiers. Un administrateur les vérifie avant de créditer les points.
missions-photo-n = Photo { $n }
missions-send-photos = Envoyer les photos
missions-photos-sent = Photos envoyées. Vous serez prévenu par e-mail une fois vérifiées.
missions-my-submissions = Vos envois
photo-status-pending = En attente de vérification
photo-status-approved = Validé
photo-status-rejected = Refusé
missions-reason = Motif
missions-awaiting = En attente de vérification
mission-review-title = Missions photo à vérifier
mission-review-home-body = Les photos de rayon envoyées par les participants : validez-les pour créditer les points, ou refusez-les avec un motif.
mission-review-mission = Mission
mission-review-count = { $count ->
    [one] Un envoi
   *[other] { $count } envois
}
mission-review-bulk-approve = Valider les envois cochés
mission-review-bulk-hint = Cochez des envois ci-dessous ; chacun est validé séparément, ceux décidés entre-temps sont ignorés.
mission-review-approve = Valider
mission-review-empty = Rien ici.
mission-review-approved = Envoi validé : les points sont crédités.
mission-review-rejected = Envoi refusé ; le participant en connaît le motif.
error-media-missing = Choisissez un fichier.
error-media-too-large = Ce fichier dépasse la taille maximale.
error-media-image-type = Seules les images JPEG, PNG ou WebP sont acceptées.
error-media-video-type = Seules les vidéos MP4 ou WebM sont acceptées (selon le contenu du fichier, pas son nom).
error-media-duration = Saisissez la durée de la vidéo en secondes (1 à 14 400) : elle n'a pas pu être lue dans le fichier.
error-mission-video-locked = La vidéo d'une mission publiée ne peut plus changer.
error-mission-no-video = Envoyez la vidéo (avec sa durée) avant de publier.
error-mission-product = Choisissez des produits de la liste.
error-video-not-watched = Regardez d'abord la vidéo.
error-video-not-started = La vidéo n'a pas été lancée : lisez-la depuis la page.
error-video-progress = Ce suivi de lecture ne correspond pas à la vidéo.
error-photos-none = Ajoutez au moins une photo.
error-photos-too-many = 5 photos au plus.
error-photos-too-few = Cette mission demande plus de photos.
error-photo-pending = Vos photos sont en attente de vérification.
error-review-own = Vous ne pouvez pas vérifier votre propre envoi.
error-review-changed = Cet envoi a été décidé entre-temps : la page montre son état actuel.
email-mission-photo-approved-subject = { $tenant } : vos photos sont validées
email-mission-photo-rejected-subject = { $tenant } : vos photos n'ont pas été validées
email-mission-photo-approved-body = Vos photos pour la mission « { $title } » sont validées.
email-mission-photo-rejected-body = Vos photos pour la mission « { $title } » n'ont pas été validées.
email-mission-photo-retry = Vous pouvez envoyer de nouvelles photos depuis la page de la mission.
email-mission-points = { $points } points crédités
email-mission-button = Ouvrir la mission
missions-products = Produits concernés
audit-action-mission-media = Fichier de mission envoyé
audit-action-mission-photo-approved = Photos de mission validées
audit-action-mission-photo-rejected = Photos de mission refusées
emails-template-mission_photo_approved = Photos de mission validées
emails-template-mission_photo_rejected = Photos de mission refusées
missions-by-region = Par région
missions-by-partner = Par partenaire
