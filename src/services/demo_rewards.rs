//! The demo's reward catalog: a dozen rewards of every kind, each with an image drawn
//! for the demo (a pictogram of its kind on the reward's colour), a pool of e-voucher
//! codes, and orders in every state (pending, approved with a code, processing, shipped,
//! delivered, refunded, rejected, cancelled). Everything goes through the reward
//! services; a second run adds nothing (any reward there means it ran).

use chrono::Utc;
use diesel::prelude::*;
use image::{Rgb, RgbImage};

use super::audit::Actor;
use super::rewards::catalog::{self, RewardInput};
use super::rewards::fulfil::{self, StepInput};
use super::rewards::redeem::{self, AddressFields, RedeemInput};
use super::rewards::{review, RewardError};
use super::storage::Storage;
use crate::db::rewards::{self as rows, orders};
use crate::db::{self, Lock};
use crate::domain::rewards::Step;
use crate::domain::{Role, TenantId};

/// (code, name, category, kind, points, stock, max per participant, colour, description)
type DemoReward = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
    [u8; 3],
    &'static str,
);

const REWARDS: &[DemoReward] = &[
    (
        "BON-FNAC-20",
        "Carte cadeau Fnac 20 €",
        "Cartes cadeaux",
        "voucher",
        2000,
        "",
        "2",
        [0xe3, 0xa8, 0x2b],
        "Un code e-carte à utiliser en magasin ou sur fnac.com, valable un an.",
    ),
    (
        "BON-DECATH-30",
        "Carte cadeau Decathlon 30 €",
        "Cartes cadeaux",
        "voucher",
        3000,
        "",
        "2",
        [0x1f, 0x6f, 0xb5],
        "Un code e-carte Decathlon, valable dans tous les magasins et en ligne.",
    ),
    (
        "BON-RESPIRE-10",
        "Bon d'achat Respire 10 €",
        "Cartes cadeaux",
        "voucher",
        800,
        "",
        "",
        [0x2e, 0x6b, 0x4f],
        "Un code à usage unique sur la boutique en ligne Respire.",
    ),
    (
        "CASQUE-BT",
        "Casque sans fil",
        "High-tech",
        "physical",
        4500,
        "8",
        "1",
        [0x3b, 0x3f, 0x58],
        "Casque Bluetooth à réduction de bruit, 30 h d'autonomie.",
    ),
    (
        "ENCEINTE",
        "Enceinte portable",
        "High-tech",
        "physical",
        2500,
        "15",
        "1",
        [0x8e, 0x3b, 0x5f],
        "Enceinte étanche, idéale pour le comptoir comme pour la plage.",
    ),
    (
        "GOURDE",
        "Gourde isotherme Respire",
        "Maison",
        "physical",
        900,
        "40",
        "3",
        [0x4f, 0x9d, 0x8a],
        "Garde au frais 24 h, aux couleurs de la marque.",
    ),
    (
        "PLAID",
        "Plaid en laine",
        "Maison",
        "physical",
        1800,
        "12",
        "1",
        [0xb5, 0x6b, 0x3a],
        "Laine des Pyrénées, tissé en France.",
    ),
    (
        "TOTE",
        "Sac cabas Respire",
        "Maison",
        "physical",
        400,
        "",
        "5",
        [0xd9, 0x82, 0x5b],
        "Coton bio, pour les courses et la pharmacie.",
    ),
    (
        "SPA-DUO",
        "Journée spa pour deux",
        "Expériences",
        "experience",
        6000,
        "4",
        "1",
        [0x6c, 0x5b, 0x9e],
        "Une journée dans un spa partenaire, massages compris.",
    ),
    (
        "COURS-CUISINE",
        "Cours de cuisine",
        "Expériences",
        "experience",
        3500,
        "10",
        "1",
        [0xc0, 0x39, 0x2b],
        "Trois heures avec un chef, dans votre ville.",
    ),
    (
        "DON-ARBRES",
        "Planter 10 arbres",
        "Dons",
        "donation",
        500,
        "",
        "",
        [0x2f, 0x85, 0x3d],
        "Reforest'Action plante dix arbres en votre nom.",
    ),
    (
        "DON-RESTOS",
        "Don aux Restos du cœur",
        "Dons",
        "donation",
        1000,
        "",
        "",
        [0xc8, 0x1d, 0x4e],
        "Dix repas offerts en votre nom.",
    ),
];

/// A 640 × 480 picture: the reward's colour, lighter towards the top, with a pictogram
/// of its kind (a parcel, a ticket, a star, a heart) in white.
pub fn picture(kind: &str, colour: [u8; 3]) -> Vec<u8> {
    let (w, h) = (640u32, 480u32);
    let mut img = RgbImage::from_fn(w, h, |_, y| {
        let light = 0.35 * (1.0 - y as f32 / h as f32);
        Rgb(colour.map(|c| (c as f32 + (255.0 - c as f32) * light) as u8))
    });
    let white = Rgb([255, 255, 255]);
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    for y in 0..h {
        for x in 0..w {
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            let inside = match kind {
                // A parcel: a square with a ribbon cross cut out.
                "physical" => {
                    dx.abs() < 110.0 && dy.abs() < 110.0 && dx.abs() > 12.0 && dy.abs() > 12.0
                }
                // A ticket: a wide rectangle with round notches on the sides.
                "voucher" => {
                    dx.abs() < 170.0
                        && dy.abs() < 90.0
                        && ((dx.abs() - 170.0).powi(2) + dy.powi(2)).sqrt() > 36.0
                }
                // A heart: two circles over a triangle.
                "donation" => {
                    let left = ((dx + 55.0).powi(2) + (dy + 30.0).powi(2)).sqrt() < 70.0;
                    let right = ((dx - 55.0).powi(2) + (dy + 30.0).powi(2)).sqrt() < 70.0;
                    let point = (-30.0..120.0).contains(&dy) && dx.abs() < (120.0 - dy) * 1.03;
                    left || right || point
                }
                // A star: five points from its polar outline.
                _ => {
                    let r = (dx * dx + dy * dy).sqrt();
                    let a = dy.atan2(dx) + std::f32::consts::FRAC_PI_2;
                    let k = (a * 5.0 / (2.0 * std::f32::consts::PI)).rem_euclid(1.0);
                    r < 70.0 + 90.0 * (1.0 - (2.0 * k - 1.0).abs())
                }
            };
            if inside {
                img.put_pixel(x, y, white);
            }
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    // Encoding an in-memory RGB picture as JPEG does not fail.
    let _ = img.write_to(&mut out, image::ImageFormat::Jpeg);
    out.into_inner()
}

/// Creates the catalog and its orders. Returns whether it did.
pub fn seed(
    conn: &mut PgConnection,
    tenant: TenantId,
    storage: &Storage,
) -> Result<bool, RewardError> {
    if !rows::search(conn, tenant, &rows::RewardFilter::default(), 0, 1)?
        .0
        .is_empty()
    {
        return Ok(false);
    }
    let actor = Actor::system("seed-demo");
    let now = Utc::now();
    let mut ids = Vec::new();
    for (code, name, category, kind, points, stock, max, colour, description) in REWARDS {
        let input = RewardInput {
            code: (*code).into(),
            name: (*name).into(),
            description: (*description).into(),
            category: (*category).into(),
            kind: (*kind).into(),
            points: points.to_string(),
            stock: (*stock).into(),
            max_per_participant: (*max).into(),
            ..RewardInput::default()
        };
        let reward = catalog::create(conn, tenant, &actor, &input)?;
        let bytes = picture(kind, *colour);
        let size = bytes.len() as i64;
        let key = storage
            .put_blocking(tenant, "jpg", bytes)
            .map_err(|e| RewardError::Other(anyhow::anyhow!("storing a demo image: {e}")))?;
        catalog::attach_image(
            conn,
            tenant,
            &actor,
            reward.id,
            1,
            (&key, "image/jpeg", size),
        )?;
        if *kind == "voucher" {
            catalog::generate_codes(conn, tenant, &actor, reward.id, "25", now)?;
        }
        ids.push(reward.id);
    }
    catalog::set_category_order(
        conn,
        tenant,
        &actor,
        "Cartes cadeaux\nHigh-tech\nMaison\nExpériences\nDons",
    )?;
    orders_in_every_state(conn, tenant, &ids)?;
    // The demo's history is not news: no e-mail about its orders.
    db::declarations::forget_queued_emails(conn, tenant, "order\\_%")?;
    Ok(true)
}

fn address(name: &str) -> AddressFields {
    AddressFields {
        address_name: name.into(),
        address_line1: "12 quai de la Fosse".into(),
        address_postcode: "44000".into(),
        address_city: "Nantes".into(),
        address_country: "France".into(),
        address_phone: "+33 2 40 00 00 00".into(),
        ..AddressFields::default()
    }
}

/// Orders by the demo participants: each state a page can show.
fn orders_in_every_state(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[crate::domain::RewardId],
) -> Result<(), RewardError> {
    let people: Vec<_> = db::users::list(conn, tenant)?
        .into_iter()
        .filter(|u| u.role() == Role::Participant && u.partner_id.is_some())
        .collect();
    let Some(admin) = db::users::list(conn, tenant)?
        .into_iter()
        .find(|u| u.role() == Role::Admin)
    else {
        return Ok(());
    };
    let now = Utc::now();
    // (reward index, quantity, what happens next)
    let plan: &[(usize, &str, &str)] = &[
        (2, "1", "approve"),  // an e-voucher with its code
        (5, "1", "pending"),  // a bottle waiting for approval
        (10, "1", "approve"), // a donation, done at once
        (7, "2", "ship"),     // tote bags on their way
        (5, "1", "deliver"),  // a delivered bottle
        (5, "1", "approve"),  // a bottle being prepared
        (7, "1", "refund"),   // refunded before shipping
        (11, "1", "reject"),  // rejected with a reason
        (10, "1", "cancel"),  // cancelled by the participant
    ];
    for (n, (index, quantity, then)) in plan.iter().enumerate() {
        let Some(user) = people.get(n % people.len().max(1)) else {
            return Ok(());
        };
        let reward = rows::find(conn, tenant, ids[*index])?;
        let balance =
            db::ledger::balance(conn, tenant, user.id, Lock::Unlocked)?.map_or(0, |b| b.available);
        if balance < reward.cost_points * quantity.parse::<i64>().unwrap_or(1) {
            continue;
        }
        let input = RedeemInput {
            quantity: (*quantity).into(),
            address: address(&user.display_name),
            form_token: String::new(),
        };
        let order = redeem::redeem(conn, tenant, user, reward.id, &input, now)?.order;
        let line = orders::lines_of(conn, tenant, &[order])?
            .first()
            .map(|l| l.id)
            .ok_or(RewardError::NotFound)?;
        let step = |conn: &mut PgConnection, s: Step, input: StepInput| {
            fulfil::step(conn, tenant, &admin, line, s, &input, now)
        };
        let shipment = StepInput {
            carrier: "Colissimo".into(),
            tracking_number: format!("6A{:09}", 184_220_000 + n),
            reason: String::new(),
        };
        match *then {
            "pending" => {}
            "cancel" => redeem::cancel(conn, tenant, user, order, now)?,
            "reject" => review::reject(
                conn,
                tenant,
                &admin,
                order,
                "Hors stock chez notre partenaire ce mois-ci",
                now,
            )?,
            _ => {
                review::approve(conn, tenant, &admin, order, now)?;
                match *then {
                    "ship" => step(conn, Step::Ship, shipment)?,
                    "deliver" => {
                        step(conn, Step::Ship, shipment)?;
                        step(conn, Step::Deliver, StepInput::default())?;
                    }
                    "refund" => step(
                        conn,
                        Step::Refund,
                        StepInput {
                            reason: "Coloris épuisé chez le fournisseur".into(),
                            ..StepInput::default()
                        },
                    )?,
                    _ => {}
                }
            }
        }
    }
    Ok(())
}
