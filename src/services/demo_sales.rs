//! Sales for the demo: six months of sell-in to the partners and four months of
//! declarations by their participants in every state (approved, rejected, withdrawn,
//! pending, some flagged), made through the real services as if on the day. The stock
//! view then shows at least one stock-out risk (Pharmacie du Port runs out of its best
//! seller) and overstocks (sprays piling up at the Marais, deliveries that never sold).
//! A tenant that already has declarations is left alone, so seeding twice adds nothing.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;

use super::audit::Actor;
use super::declarations::{self as service, DeclarationInput, LineInput};
use super::ServiceError;
use crate::db;
use crate::db::stock::NewSellIn;
use crate::domain::declarations::{ListedReason, Reason, Status};
use crate::domain::{PartnerId, ProductId, Role, TenantId, Zone};

/// Weeks of declarations before today.
const WEEKS: i64 = 16;

/// What each demo participant sells; the sell-in delivered to their partner follows
/// from it, times a supply factor.
/// (SKU, units, every n-th week).
type Habit = (&'static str, i32, i64);

/// (participant's e-mail, what they sell, sell-in in % of what they will declare).
const HABITS: &[(&str, &[Habit], u32)] = &[
    // Léa sells the Fraîcheur stick fast; the Port is barely supplied: stock-out risk.
    (
        "lea.martin@pharmacie-du-port.example",
        &[("RSP-STK-FRA-50", 4, 1), ("RSP-ROL-COT-50", 1, 2)],
        65,
    ),
    (
        "julien.moreau@pharmacie-du-port.example",
        &[("RSP-SPR-THE-100", 2, 1), ("RSP-REC-FRA-50", 1, 3)],
        130,
    ),
    (
        "karim.benali@parapharmacie-lumiere.example",
        &[("RSP-STK-SEN-50", 3, 1), ("RSP-SOI-PIE-75", 1, 2)],
        140,
    ),
    (
        "sophie.roux@pharmacie-des-alpes.example",
        &[("RSP-ROL-MEN-50", 2, 1), ("RSP-TRV-STK-15", 2, 2)],
        125,
    ),
    (
        "thomas.girard@pharmacie-du-marais.example",
        &[("RSP-STK-AGR-50", 2, 1), ("RSP-SPR-LAV-100", 1, 4)],
        130,
    ),
    // The Marais was sent far more lavender spray than it sells: overstock.
    (
        "camille.leroy@pharmacie-du-marais.example",
        &[("RSP-SPR-LAV-100", 1, 3)],
        600,
    ),
    (
        "ines.haddad@pharmacie-du-capitole.example",
        &[("RSP-STK-FRA-50", 2, 1), ("RSP-COF-DEC-3", 1, 3)],
        135,
    ),
    (
        "maxime.legoff@pharmacie-des-lices.example",
        &[("RSP-ROL-COT-50", 2, 1)],
        120,
    ),
    (
        "chloe.dubois@pharmacie-du-vieux-lille.example",
        &[("RSP-STK-SEN-50", 2, 1), ("RSP-REC-SEN-50", 2, 2)],
        150,
    ),
    (
        "antoine.bernard@parapharmacie-sainte-catherine.example",
        &[("RSP-SPR-THE-100", 2, 1)],
        140,
    ),
    (
        "emma.fontaine@boutique-respire-paris.example",
        &[("RSP-COF-DEC-3", 3, 1), ("RSP-STK-FRA-50", 2, 1)],
        130,
    ),
];

/// Deliveries to partners whose sales nobody declares: stock that does not move.
const IDLE_SELL_IN: &[(&str, &str, i32)] = &[
    ("PH-92-0021", "RSP-SPR-THE-100", 36),
    ("PH-92-0021", "RSP-STK-FRA-50", 24),
    ("DI-31-0001", "RSP-ROL-COT-50", 240),
];

/// `hour` o'clock on `day`, in the tenant's zone.
fn at(zone: Zone, day: NaiveDate, hour: u32) -> DateTime<Utc> {
    zone.day_start(day) + Duration::hours(hour.into())
}

pub fn seed(conn: &mut PgConnection, tenant: TenantId) -> Result<usize, ServiceError> {
    use crate::db::schema::declarations;
    let any: i64 = declarations::table
        .filter(declarations::tenant_id.eq(tenant))
        .count()
        .get_result(conn)?;
    if any > 0 {
        return Ok(0);
    }
    let now = Utc::now();
    let (zone, _) = db::tenants::zone_and_currency(conn, tenant)?;
    let today = zone.today(now);
    let admin = db::users::list(conn, tenant)?
        .into_iter()
        .find(|u| u.role() == Role::Admin)
        .ok_or_else(|| anyhow::anyhow!("the demo tenant has no admin"))?;
    let reviewer = Actor::user(&admin);
    let products = db::declarations::active_products(conn, tenant)?;
    let product_id = |sku: &str| products.iter().find(|p| p.sku == sku).map(|p| p.id);

    // Supply: what each partner was sold, from what its participants will declare.
    let mut planned: BTreeMap<(PartnerId, ProductId), (i32, u32)> = BTreeMap::new();
    let mut people = vec![];
    for (email, habits, factor) in HABITS {
        let Some(user) = db::users::find_by_email(conn, tenant, email)? else {
            continue;
        };
        let Some(partner) = user.partner_id else {
            continue;
        };
        for (sku, units, every) in *habits {
            if let Some(product) = product_id(sku) {
                let weeks = i32::try_from(WEEKS / every).unwrap_or(0);
                let entry = planned.entry((partner, product)).or_insert((0, *factor));
                entry.0 += units * weeks;
                entry.1 = entry.1.max(*factor);
            }
        }
        people.push((user, *habits));
    }
    let mut sell_in = vec![];
    for ((partner, product), (units, factor)) in &planned {
        let total = (i64::from(*units) * i64::from(*factor) / 100) as i32;
        deliveries(&mut sell_in, tenant, *partner, *product, total, today);
    }
    let codes: Vec<&str> = IDLE_SELL_IN.iter().map(|(c, _, _)| *c).collect();
    let partners = db::partners::by_codes(conn, tenant, &codes)?;
    for (code, sku, units) in IDLE_SELL_IN {
        if let (Some(p), Some(product)) = (partners.get(*code), product_id(sku)) {
            deliveries(&mut sell_in, tenant, p.id, product, *units, today);
        }
    }
    let keys: Vec<String> = sell_in.iter().map(|d| d.4.clone()).collect();
    let rows: Vec<NewSellIn> = sell_in
        .iter()
        .zip(&keys)
        .map(|(d, key)| NewSellIn {
            tenant_id: tenant,
            partner_id: d.0,
            product_id: d.1,
            sold_on: d.2,
            quantity: d.3,
            amount_minor: i64::from(d.3) * 800,
            import_key: key,
        })
        .collect();
    db::stock::insert_sell_in(conn, &rows)?;

    let mut made = 0;
    for (i, (user, habits)) in people.iter().enumerate() {
        for week in (0..WEEKS).rev() {
            let day = today - Duration::days(week * 7 + (i as i64 % 5));
            let lines: Vec<LineInput> = habits
                .iter()
                .filter(|(_, _, every)| week % every == 0)
                .map(|(sku, units, _)| LineInput {
                    product: sku.to_string(),
                    quantity: (units + ((i as i64 + week) % 2) as i32 - 1)
                        .max(1)
                        .to_string(),
                    unit_price: String::new(),
                })
                .collect();
            if lines.is_empty() || day > today {
                continue;
            }
            let n = made as u64;
            // Every 17th declaration re-uses its previous invoice number: flagged.
            let invoice = if n % 17 == 16 {
                format!("FAC-{}-{:03}", user.id, n - 1)
            } else {
                format!("FAC-{}-{n:03}", user.id)
            };
            let input = DeclarationInput {
                sale_date: day.to_string(),
                channel: if n % 4 == 3 { "online" } else { "in_store" }.into(),
                invoice_ref: invoice,
                lines,
                customer_type: ["", "new", "regular", "professional"][(n % 4) as usize].into(),
                feedback: if n.is_multiple_of(6) {
                    "Cliente ravie du parfum, elle reviendra pour la recharge.".into()
                } else {
                    String::new()
                },
                form_token: String::new(),
            };
            let declared_at = at(zone, day, 18).min(now);
            let declared = service::declare(conn, tenant, user, &input, vec![], declared_at)
                .map_err(to_service)?;
            made += 1;
            decide(
                conn,
                tenant,
                &reviewer,
                user,
                &declared.declaration,
                n,
                (zone, now),
            )?;
        }
    }
    // These decisions were announced long ago: no e-mail for the demo's past.
    db::declarations::forget_queued_emails(conn, tenant, "declaration\\_%")?;
    Ok(made)
}

/// Four monthly deliveries over the last six months.
fn deliveries(
    out: &mut Vec<(PartnerId, ProductId, NaiveDate, i32, String)>,
    tenant: TenantId,
    partner: PartnerId,
    product: ProductId,
    total: i32,
    today: NaiveDate,
) {
    let parts = [total / 4, total / 4, total / 4, total - 3 * (total / 4)];
    for (k, quantity) in parts.into_iter().enumerate() {
        if quantity == 0 {
            continue;
        }
        let day = today - Duration::weeks(24 - 5 * k as i64);
        let key = format!("demo:{tenant}:{partner}:{product}:{k}");
        out.push((partner, product, day, quantity, key));
    }
}

/// Old declarations are decided (mostly approved, some rejected or withdrawn); the last
/// ten days' wait for a reviewer.
fn decide(
    conn: &mut PgConnection,
    tenant: TenantId,
    reviewer: &Actor,
    participant: &crate::db::users::User,
    declaration: &crate::db::declarations::Declaration,
    n: u64,
    (zone, now): (Zone, DateTime<Utc>),
) -> Result<(), ServiceError> {
    if declaration.status != "submitted"
        || declaration.sale_date > zone.today(now) - Duration::days(10)
    {
        return Ok(());
    }
    let decided_at = at(zone, declaration.sale_date + Duration::days(2), 10).min(now);
    let result = if n % 13 == 5 {
        service::withdraw(conn, tenant, participant, declaration.id, decided_at).map(|_| ())
    } else if n % 9 == 4 || !declaration.flag_codes().is_empty() && n.is_multiple_of(2) {
        let listed = ListedReason::ALL[(n as usize) % ListedReason::ALL.len()];
        let reason = Reason::Listed(listed);
        service::reject(
            conn,
            tenant,
            reviewer,
            declaration.id,
            Status::Submitted,
            &reason,
            decided_at,
        )
        .map(|_| ())
    } else {
        service::approve(
            conn,
            tenant,
            reviewer,
            declaration.id,
            Status::Submitted,
            decided_at,
        )
        .map(|_| ())
    };
    result.map_err(to_service)
}

fn to_service(e: service::DeclarationError) -> ServiceError {
    match e {
        service::DeclarationError::Db(e) => ServiceError::Db(e),
        other => ServiceError::Other(anyhow::anyhow!(other)),
    }
}
