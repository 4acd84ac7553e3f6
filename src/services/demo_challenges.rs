//! Challenges for the demo, published after the demo's sales (publication counts what
//! was approved in a challenge's window before it): a winter challenge awarded, a spring challenge
//! running with a personalised target (growth over the winter) and a multiplier, and a
//! team challenge for the summer, scheduled. Everything goes through the challenge
//! services; the awarded one is closed by the same code as the job's. A second run adds
//! nothing (any challenge there means it ran).

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::audit::Actor;
use super::challenges::setup::{self, ChallengeInput};
use super::challenges::{close, ChallengeError};
use super::missions::media;
use super::storage::Storage;
use crate::db::challenges as rows;
use crate::domain::missions::MediaRole;
use crate::domain::{ChallengeId, TenantId, Zone};

pub const WINTER: &str = "Challenge hiver : tous les déodorants";
pub const SPRING: &str = "Printemps des sticks";
pub const SUMMER: &str = "Défi d'été en équipe";

const BANNER: &[u8] = include_bytes!("demo_data/shelf-example.jpg");

fn save(
    conn: &mut PgConnection,
    tenant: TenantId,
    input: ChallengeInput,
    at: DateTime<Utc>,
) -> Result<ChallengeId, ChallengeError> {
    Ok(setup::save(conn, tenant, &Actor::system("seed-demo"), None, &input, at)?.id)
}

/// Creates and publishes the three challenges (after the sales are seeded). Returns
/// whether it created them (then `catch_up` once the sales are in).
pub fn seed(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    storage: &Storage,
) -> Result<bool, ChallengeError> {
    if !rows::list(conn, tenant)?.is_empty() {
        return Ok(false);
    }
    let now = Utc::now();
    let today = zone.today(now);
    let day = |offset: i64| (today + Duration::days(offset)).to_string();
    let actor = Actor::system("seed-demo");
    let blank = || {
        let mut i = ChallengeInput::blank(today);
        i.form_token = String::new();
        i
    };

    let mut winter = blank();
    winter.title = WINTER.into();
    winter.description =
        "Vendez 30 déodorants Respire en deux mois : paliers à 80, 100 et 120 %, et un podium."
            .into();
    winter.starts_on = day(-120);
    winter.ends_on = day(-61);
    winter.target_value = "30".into();
    winter.prizes = vec![
        "500".into(),
        "250".into(),
        "100".into(),
        String::new(),
        String::new(),
    ];
    let winter_at = zone.day_start(today - Duration::days(121));
    let winter_id = save(conn, tenant, winter, winter_at)?;
    setup::publish(conn, tenant, &actor, winter_id, winter_at)?;

    let mut spring = blank();
    spring.title = SPRING.into();
    spring.description = "Chacun son objectif : 10 % de sticks de plus que cet hiver, et vos sticks rapportent ×1,5 pendant le challenge.".into();
    spring.starts_on = day(-30);
    spring.ends_on = day(30);
    spring.target_mode = "growth".into();
    spring.growth_percent = "110".into();
    spring.reference_starts_on = day(-120);
    spring.reference_ends_on = day(-61);
    spring.target_value = "8".into();
    spring.categories = vec!["Sticks".into()];
    spring.multiplier = "1.5".into();
    spring.rank_basis = "attainment".into();
    spring.prizes = vec![
        "300".into(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ];
    let spring_at = zone.day_start(today - Duration::days(31));
    let spring_id = save(conn, tenant, spring, spring_at)?;
    setup::publish(conn, tenant, &actor, spring_id, spring_at)?;
    // Its banner: the demo's shelf photo.
    let banner = media::check(MediaRole::Cover, BANNER.to_vec(), usize::MAX, usize::MAX)
        .map_err(ChallengeError::Refused)?;
    let key = storage
        .put_blocking(tenant, banner.extension, banner.bytes.clone())
        .map_err(|e| ChallengeError::Other(e.into()))?;
    setup::attach_banner(conn, tenant, &actor, spring_id, &key, &banner, now)?;

    let mut summer = blank();
    summer.title = SUMMER.into();
    summer.description = "Toute l'équipe compte : 120 ventes par officine en un mois.".into();
    summer.starts_on = day(14);
    summer.ends_on = day(44);
    summer.scope = "partner".into();
    summer.target_value = "120".into();
    let summer_id = save(conn, tenant, summer, now)?;
    setup::publish(conn, tenant, &actor, summer_id, now)?;
    Ok(true)
}

/// Moves the challenges to where the clock says (the winter one is awarded), with the
/// job's own code, as the worker's first poll would.
pub fn catch_up(conn: &mut PgConnection, tenant: TenantId) -> Result<(), ChallengeError> {
    for c in rows::list(conn, tenant)? {
        close::advance(conn, tenant, c.id, Utc::now())?;
    }
    // Announced long ago: no e-mail for the demo's past.
    crate::db::declarations::forget_queued_emails(conn, tenant, "challenge\\_%")?;
    Ok(())
}
