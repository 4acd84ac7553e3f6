# Commandes de récompenses traitées par l'API d'intégration.
error-order-line-unknown = Indiquez une ou plusieurs lignes de cette commande.
