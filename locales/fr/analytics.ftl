chart-no-data = Rien à afficher pour cette période et ces filtres.
chart-show-figures = Afficher les chiffres
export-csv = Télécharger le CSV
export-excel-fr = CSV pour Excel en français (points-virgules)
