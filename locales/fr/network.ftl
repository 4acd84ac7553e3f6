## Accueil du studio
studio-partners-body = Votre réseau de distributeurs, revendeurs et franchisés, et leurs participants.
studio-products-body = La gamme de produits, avec les prix et les points par unité.
studio-segments-body = Des groupes de partenaires définis par des règles (région, type, niveau…), tenus à jour quand les partenaires changent.
studio-imports-body = Importer des partenaires, des participants et des produits depuis un fichier CSV.

## Mots communs
action-back = Retour
action-edit = Modifier
action-save = Enregistrer
action-deactivate = Désactiver
action-reactivate = Réactiver
status-active = Actif
status-inactive = Inactif
filter-search = Rechercher
filter-status = Statut
form-has-errors = Certains champs sont à corriger : voir les messages ci-dessous.
pager-position = Page { $page } sur { $pages }

## Partenaires
partners-title = Partenaires
partners-new = Nouveau partenaire
partners-edit-title = Modifier le partenaire
partners-search-hint = Nom ou code
partners-count = { $count ->
    [one] { $count } partenaire
   *[other] { $count } partenaires
}
partners-empty = Aucun partenaire ne correspond à ces filtres.
partners-code = Code externe
partners-code-hint = Le code client du partenaire dans votre ERP, par ex. PH-75-0012.
partners-name = Nom
partners-kind = Type
partners-brand-mode = Marques
partners-region = Région
partners-country = Pays
partners-country-hint = Code ISO à deux lettres, par ex. FR.
partners-tier = Niveau
partners-tier-hint = Un libellé libre, par ex. Gold, Silver ou Bronze.
partners-potential = Potentiel
partners-potential-hint = Votre estimation, de 1 (faible) à 5 (fort).
partners-participants = Participants
partners-no-participants = Aucun participant n’est encore rattaché à ce partenaire.
partners-participants-hint = Les participants s’ajoutent en important un fichier de participants, ou sont invités depuis l’administration.
partners-segments = Segments
partners-updated = Dernière modification
partners-deactivate-hint = Un partenaire désactivé sort de tous les segments ; ses participants gardent leur compte.
partners-created = Partenaire créé.
partners-saved = Partenaire enregistré.
partners-deactivated = Partenaire désactivé.
partners-reactivated = Partenaire réactivé.
partner-kind-distributor = Distributeur
partner-kind-reseller = Revendeur
partner-kind-franchisee = Franchisé
brand-mode-mono = Monomarque
brand-mode-multi = Multimarque

## Produits
products-title = Produits
products-new = Nouveau produit
products-edit-title = Modifier le produit
products-search-hint = Nom ou référence
products-count = { $count ->
    [one] { $count } produit
   *[other] { $count } produits
}
products-empty = Aucun produit ne correspond à ces filtres.
products-sku = Référence (SKU)
products-name = Nom
products-category = Catégorie
products-unit-price = Prix unitaire
products-unit-price-hint = Dans la devise du programme, par ex. 12,90.
products-points = Points par unité
products-deactivate-hint = Un produit désactivé ne peut plus être déclaré.
products-created = Produit créé.
products-saved = Produit enregistré.
products-deactivated = Produit désactivé.
products-reactivated = Produit réactivé.

## Segments
segments-title = Segments
segments-new = Nouveau segment
segments-edit-title = Modifier le segment
segments-intro = Un segment regroupe les partenaires actifs qui répondent à sa règle, plus les partenaires ajoutés par leur code.
segments-empty = Aucun segment pour l’instant.
segments-name = Nom
segments-rule = Règle
segments-members = Partenaires
segments-rule-hint = Cochez les critères : chaque groupe coché doit correspondre, un groupe laissé vide accepte tout. Si rien n’est coché, seuls les partenaires ajoutés par code font partie du segment.
segments-partner-codes = Partenaires ajoutés par code
segments-partner-codes-hint = Codes externes séparés par des espaces, des virgules ou des retours à la ligne.
segments-matching = { $count ->
    [one] { $count } partenaire correspondant
   *[other] { $count } partenaires correspondants
}
segments-created = Segment créé.
segments-saved = Segment enregistré.

## Imports
imports-title = Imports
imports-intro = Importez des partenaires, des participants ou des produits depuis un fichier CSV. Le fichier est d’abord vérifié en entier : si une ligne est incorrecte, rien n’est importé et chaque problème est listé. Importer à nouveau le même fichier met à jour les lignes existantes au lieu de les dupliquer.
imports-kind = Contenu du fichier
imports-kind-partners = Partenaires
imports-kind-participants = Participants
imports-kind-products = Produits
imports-file = Fichier CSV
imports-file-hint = UTF-8, avec ou sans BOM, séparé par des virgules ou des points-virgules. La première ligne nomme les colonnes.
imports-submit = Vérifier et importer
imports-done = { $file } importé.
imports-rows = Lignes
imports-created = Créés
imports-updated = Mis à jour
imports-unchanged = Inchangés
imports-invited = Invitations envoyées
imports-refused = { $count ->
    [one] Le fichier a été refusé à cause d’un problème. Rien n’a été importé.
   *[other] Le fichier a été refusé à cause de { $count } problèmes. Rien n’a été importé.
}
imports-more-errors = … et { $count } autres problèmes.
imports-line = Ligne
imports-column = Colonne
imports-problem = Problème
imports-column-meaning = Signification
imports-columns-title = Colonnes
imports-columns-intro = Les noms de colonnes peuvent être en anglais, en français ou en indonésien (code_externe, kode_eksternal…), en majuscules ou minuscules, avec ou sans accents, dans n’importe quel ordre ; les colonnes non listées ici sont ignorées. Si un fichier nomme ses colonnes autrement, vous indiquez une fois quelle colonne est laquelle, et les fichiers suivants du même type sont lus de la même façon. Les cellules oui/non acceptent yes, no, true, false, 1, 0, oui, non.
imports-required = obligatoire
imports-optional = facultative
imports-col-partners-external_code = Le code client du partenaire dans votre ERP ; les lignes sont rapprochées sur ce code.
imports-col-partners-name = Le nom du partenaire.
imports-col-partners-kind = distributor (distributeur), reseller (revendeur) ou franchisee (franchisé).
imports-col-partners-brand_mode = mono (monomarque) ou multi (multimarque).
imports-col-partners-region = La région, par ex. Bretagne.
imports-col-partners-country = Code pays ISO à deux lettres, par ex. FR.
imports-col-partners-potential = De 1 (faible) à 5 (fort).
imports-col-partners-tier = Un libellé libre, par ex. Gold, Silver ou Bronze.
imports-col-partners-active = non désactive le partenaire ; vide le laisse tel quel.
imports-col-participants-email = L’e-mail du participant ; les lignes sont rapprochées sur cet e-mail. Les nouveaux participants reçoivent une invitation.
imports-col-participants-name = Prénom et nom.
imports-col-participants-partner_code = Le code externe du partenaire du participant.
imports-col-participants-locale = Langue des e-mails du participant : en, fr ou id.
imports-col-products-sku = La référence du produit ; les lignes sont rapprochées sur cette référence.
imports-col-products-name = Le nom du produit.
imports-col-products-category = La catégorie du produit, par ex. Sticks.
imports-col-products-unit_price = Le prix unitaire, par ex. 12,90 ou 12.90.
imports-col-products-points_per_unit = Points gagnés par unité vendue (nombre entier).
imports-col-products-active = non désactive le produit ; vide le laisse tel quel.

## Erreurs de champ et de ligne
error-kind-invalid = Choisissez distributor, reseller ou franchisee.
error-brand-mode-invalid = Choisissez mono ou multi.
error-code-invalid = Utilisez uniquement des lettres, des chiffres et . _ / - (40 au plus).
error-code-taken = Un autre partenaire a déjà ce code.
error-sku-invalid = Utilisez uniquement des lettres, des chiffres et . _ / - (40 au plus).
error-sku-taken = Un autre produit a déjà cette référence.
error-country-invalid = Saisissez un code pays ISO à deux lettres, par ex. FR.
error-potential-invalid = Saisissez un nombre entier de 1 à 5.
error-price-invalid = Saisissez un prix comme 12,90.
error-price-negative = Le prix ne peut pas être négatif.
error-points-invalid = Saisissez un nombre entier de points.
error-points-negative = Les points ne peuvent pas être négatifs.
error-flag-invalid = Saisissez oui ou non.
error-segment-name-taken = Un autre segment porte déjà ce nom.
error-segment-codes-unknown = Certains de ces codes ne correspondent à aucun partenaire.
error-partner-code-unknown = Aucun partenaire n’a le code { $value }.
error-partner-inactive = Le partenaire { $value } est désactivé.
error-import-not-participant = { $value } appartient à un marketeur ou à un administrateur, pas à un participant.
error-import-duplicate = { $value } figure déjà à la ligne { $line }.
error-import-missing-column = La colonne { $value } manque sur la première ligne.
error-import-duplicate-column = La colonne { $value } apparaît deux fois.
error-import-field-count = Cette ligne compte { $value } cellules, pas autant que la première ligne.
error-import-malformed = Cette ligne est illisible : vérifiez ses guillemets.
error-import-not-utf8 = Le fichier n’est pas en UTF-8 (à partir de cette ligne). Dans votre tableur, enregistrez-le au format « CSV UTF-8 ».
error-import-empty = Le fichier ne contient aucune ligne à importer.
error-import-too-many-rows = Le fichier dépasse { $value } lignes : découpez-le.

## Catalogues et correspondance des colonnes
catalog-export = Exporter en CSV
imports-mapping-title = Quelle colonne est laquelle ?
imports-mapping-intro = Certaines colonnes de ce fichier n’ont pas été reconnues. Choisissez la colonne du fichier qui contient chacune, puis importez : votre choix est retenu pour les prochains fichiers de ce type.
imports-mapping-none = — absente de ce fichier
imports-mapping-found = trouvée : { $header }
imports-mapping-submit = Importer avec ces colonnes
error-import-nul = Cette cellule contient un caractère NUL, qui ne peut pas être enregistré : supprimez-le.
error-import-mapping-invalid = Choisissez une des colonnes du fichier.
error-import-header-twice = La colonne { $value } est choisie deux fois.
