//! The demo's news: four posts by the brand (one with an image, one scheduled next
//! week, one for the "Pilotes nouveautés" segment).

use chrono::{Duration, Utc};
use diesel::prelude::*;

use super::audit::Actor;
use super::news::studio::{self, ImageChange, Submitted};
use super::storage::Storage;
use super::ServiceError;
use crate::db::segments as segment_rows;
use crate::domain::news::NewsInput;
use crate::domain::{TenantId, Zone};

/// (title, text, days from today, days shown (none: no end), segment name, image colour)
type DemoPost = (
    &'static str,
    &'static str,
    i64,
    Option<i64>,
    Option<&'static str>,
    Option<[u8; 3]>,
);

const POSTS: &[DemoPost] = &[
    (
        "Respire Sérénité arrive en officine",
        "La nouvelle gamme Respire Sérénité (spray nasal à l'eau de mer et inhalateur aux huiles essentielles) est disponible chez votre grossiste depuis lundi.\n\nChaque unité vendue et déclarée rapporte des points dès ce mois-ci. Pensez à la placer près de la caisse : c'est un achat d'impulsion en période hivernale.",
        -3,
        None,
        None,
        Some([31, 111, 92]),
    ),
    (
        "Nouveau module de formation : conseiller un patient asthmatique",
        "Un quiz de dix questions et une vidéo de quatre minutes vous attendent dans l'onglet Missions.\n\nRéussi avec 80 % de bonnes réponses, il vous rapporte 150 points.",
        -10,
        Some(30),
        None,
        None,
    ),
    (
        "Pilotes nouveautés : vos échantillons en avant-première",
        "Vous faites partie des officines pilotes : un colis d'échantillons Respire Junior part cette semaine.\n\nVos retours clients (déclarés avec vos ventes) nous aident à préparer le lancement national.",
        -1,
        None,
        Some("Pilotes nouveautés"),
        None,
    ),
    (
        "Retrouvez-nous au salon Pharmagora",
        "Notre équipe vous accueille sur le stand B12, les deux jours du salon.\n\nVenez avec votre code participant : un cadeau vous y attend.",
        7,
        Some(10),
        None,
        None,
    ),
];

/// Creates the posts, unless the tenant has news already. Returns whether it did.
pub fn seed(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    storage: &Storage,
) -> Result<bool, ServiceError> {
    if !crate::db::news::list(conn, tenant, 0, 1)?.0.is_empty() {
        return Ok(false);
    }
    let actor = Actor::system("seed-demo");
    let now = Utc::now();
    let today = zone.today(now);
    for (title, body, from, days, segment, colour) in POSTS {
        let publish_on = today + Duration::days(*from);
        let input = NewsInput {
            title: (*title).into(),
            body: (*body).into(),
            publish_on: publish_on.to_string(),
            end_on: days
                .map(|d| (publish_on + Duration::days(d)).to_string())
                .unwrap_or_default(),
        };
        let segments: Vec<String> = match segment {
            Some(name) => segment_rows::find_by_name(conn, tenant, name)?
                .map(|s| vec![s.id.to_string()])
                .unwrap_or_default(),
            None => vec![],
        };
        let image = match colour {
            Some(colour) => {
                let bytes = super::demo_rewards::picture("experience", *colour);
                let key = storage
                    .put_blocking(tenant, "jpg", bytes)
                    .map_err(|e| anyhow::anyhow!("storing a demo image: {e}"))?;
                ImageChange::Set(key)
            }
            None => ImageChange::Keep,
        };
        let submitted = Submitted {
            input: &input,
            segments: &segments,
            image,
        };
        studio::save(conn, tenant, &actor, None, submitted, now)?;
    }
    Ok(true)
}
