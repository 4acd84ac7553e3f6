# Sell-in / sell-out et résultats des challenges (analyses du studio).
roi-sell-through-title = Sell-in et sell-out
roi-sell-through-body = Le sell-in face au sell-out approuvé par semaine, partenaire et produit, le stock qui en découle et les partenaires dont les ventes ralentissent.
roi-sell-through-intro = Sell-in et sell-out approuvé (par date de vente) sur la période. Le stock implicite et les alertes sont ceux de la page Stock : stock d’ouverture plus tout le sell-in moins tout le sell-out approuvé jusqu’à la fin de la période.
roi-product = Produit
roi-all-partners = Tous les partenaires
roi-week = Semaine du
roi-weeks-title = Par semaine
roi-partners-title = Par partenaire
roi-products-title = Par produit
roi-shown = Les { $shown } plus importants sur { $total } sont affichés ; le fichier CSV les contient tous.
roi-slowing-title = Partenaires à animer
roi-slowing-rule = Partenaires dont le sell-out approuvé des { $recent } semaines jusqu’au { $end } (depuis le { $start }), en moyenne hebdomadaire, est passé sous leur propre moyenne hebdomadaire des { $trailing } semaines précédentes.
roi-slowing-empty = Aucun partenaire n’a un sell-out passé sous sa propre moyenne.
roi-recent = { $weeks } dernières semaines
roi-trailing = { $weeks } semaines précédentes
roi-pace = Rythme hebdomadaire / moyenne
roi-draft-button = Créer un brouillon de challenge pour { $count ->
    [one] ce partenaire
   *[other] ces { $count } partenaires
  }
roi-draft-segment = Partenaires à animer
roi-draft-title = Challenge de relance
roi-draft-description = Un challenge pour les partenaires dont le sell-out est passé sous leur propre moyenne.
roi-draft-started = Un brouillon de challenge a été créé pour les partenaires à animer, avec un segment qui les liste. Paramétrez-le puis publiez-le.
roi-draft-nobody = Plus aucun partenaire à animer avec ces filtres : rien n’a été créé.
roi-challenges-title = Résultats des challenges
roi-challenges-body = Participation, atteinte des objectifs, sell-out incrémental et coût en points de chaque challenge.
roi-challenges-intro = Les challenges publiés qui ont commencé dans la période, ce qu’ils ont apporté par rapport à la période de référence de chaque participant (ou partenaire) et ce qu’ont coûté leurs récompenses.
roi-started-from = Commencés à partir du
roi-challenges-empty = Aucun challenge publié n’a commencé dans cette période.
roi-distribution-title = Répartition de l’atteinte
roi-results-title = Résultats par challenge
roi-challenge = Challenge
roi-participation = Participation
roi-bucket-0-25 = 0–25 %
roi-bucket-25-50 = 25–50 %
roi-bucket-50-75 = 50–75 %
roi-bucket-75-100 = 75–100 %
roi-bucket-100-plus = ≥ 100 %
roi-result = Résultat
roi-reference = Référence
roi-incremental = Incrémental
roi-target = Objectif
roi-points = Points attribués
roi-per-unit = Points par unité incrémentale
roi-per-unit-value = { $whole },{ $cents }
roi-definitions = Participation : participants avec un résultat supérieur à zéro, parmi les inscrits. Atteinte : résultat rapporté à l’objectif, par sujet (participant, ou partenaire dans un challenge par partenaire). Période de référence : celle de l’objectif de croissance ; sinon autant de jours que le challenge, juste avant lui. Incrémental : le résultat moins celui des mêmes sujets sur leur période de référence. Points attribués : les récompenses du challenge inscrites au grand livre (les bonus de multiplicateur sur les déclarations n’y sont pas). Points par unité incrémentale (par unité monétaire pour le chiffre d’affaires) seulement quand l’incrémental est positif.
roi-reference-period = Période de référence du { $start } au { $end } ({ $given ->
    [true] celle de l’objectif de croissance
   *[other] aussi longue que le challenge, juste avant lui
  })
roi-open-challenge = Ouvrir le challenge
roi-subjects-participants = Participants
roi-subjects-partners = Partenaires
roi-partners-chart = Sell-out des 10 plus grands partenaires
roi-attainment = Atteinte
