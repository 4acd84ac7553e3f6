//! The demo tenant: Respire, an organic deodorant brand selling through pharmacies and
//! parapharmacies in several French regions. Seeding is idempotent.

use diesel::prelude::*;

use super::storage::Storage;

use super::accounts::{self, NewAccount};
use super::audit::Actor;
use super::imports::{self, ImportError, ImportFile, ImportKind, Silent};
use super::regional::RegionalInput;
use super::segments::{self, SegmentInput};
use super::tenants::{self as tenant_service, NewTenantInput};
use super::ServiceError;
use crate::db::segments as db_segments;
use crate::db::tenants::{self, Tenant, ThemeChanges};
use crate::db::users;
use crate::domain::{Locale, Role, TenantId};

pub const DEMO_SLUG: &str = "respire";
pub const DEMO_PASSWORD: &str = "respire-demo-2026";

/// One demo login per role, printed by `relais seed-demo`.
pub struct DemoLogin {
    pub role: Role,
    pub email: &'static str,
    pub name: &'static str,
}

pub const DEMO_USERS: &[DemoLogin] = &[
    DemoLogin {
        role: Role::Admin,
        email: "claire.admin@respire.example",
        name: "Claire Dubois",
    },
    DemoLogin {
        role: Role::Marketer,
        email: "hugo.marketing@respire.example",
        name: "Hugo Lefèvre",
    },
    DemoLogin {
        role: Role::Participant,
        email: "lea.martin@pharmacie-du-port.example",
        name: "Léa Martin",
    },
    DemoLogin {
        role: Role::Participant,
        email: "karim.benali@parapharmacie-lumiere.example",
        name: "Karim Benali",
    },
    DemoLogin {
        role: Role::Participant,
        email: "sophie.roux@pharmacie-des-alpes.example",
        name: "Sophie Roux",
    },
];

pub struct SeedReport {
    pub tenant: Tenant,
    pub created_users: usize,
}

/// Creates what is missing of the demo tenant; a second run adds nothing.
pub fn seed(conn: &mut PgConnection, storage: &Storage) -> Result<SeedReport, ServiceError> {
    let mut created_users = 0;
    let tenant = match tenants::find_by_slug(conn, DEMO_SLUG)? {
        // A demo seeded before tenants had a zone still has the migration's UTC.
        Some(t) if t.time_zone == "UTC" && t.point_value_minor == 0 => tenants::update_regional(
            conn,
            t.tenant_id(),
            &tenants::RegionalChanges {
                time_zone: "Europe/Paris",
                currency: "EUR",
                point_value_minor: 1,
                challenge_grace_days: 7,
                updated_at: chrono::Utc::now(),
            },
        )?,
        Some(t) => t,
        None => {
            let admin = &DEMO_USERS[0];
            let (tenant, _) = tenant_service::create_tenant(
                conn,
                &NewTenantInput {
                    slug: DEMO_SLUG,
                    name: "Respire",
                    domains: &[],
                    default_locale: Locale::Fr,
                    // A French brand: Paris time, euros, a point worth one cent.
                    regional: RegionalInput {
                        point_value: "0.01".into(),
                        ..RegionalInput::new("Europe/Paris", "EUR")
                    },
                    admin: NewAccount {
                        email: admin.email,
                        display_name: admin.name,
                        role: admin.role,
                        password: Some(DEMO_PASSWORD),
                        locale: None,
                    },
                },
            )?;
            created_users += 1;
            tenants::update_theme(
                conn,
                tenant.tenant_id(),
                &ThemeChanges {
                    name: "Respire",
                    default_locale: "fr",
                    primary_color: "#2e6b4f",
                    accent_color: "#e8a33d",
                    updated_at: chrono::Utc::now(),
                },
            )?
        }
    };
    for demo in DEMO_USERS {
        if users::find_by_email(conn, tenant.tenant_id(), demo.email)?.is_none() {
            accounts::create_user(
                conn,
                tenant.tenant_id(),
                &NewAccount {
                    email: demo.email,
                    display_name: demo.name,
                    role: demo.role,
                    password: Some(DEMO_PASSWORD),
                    locale: None,
                },
            )?;
            created_users += 1;
        }
    }
    created_users += seed_network(conn, tenant.tenant_id())?;
    super::demo_points::seed(conn, tenant.tenant_id())?;
    super::demo_sales::seed(conn, tenant.tenant_id())?;
    // After the sales: publication counts the approvals of each challenge's window.
    if super::demo_challenges::seed(conn, tenant.tenant_id(), tenant.zone(), storage)
        .map_err(ServiceError::from)?
    {
        super::demo_challenges::catch_up(conn, tenant.tenant_id()).map_err(ServiceError::from)?;
    }
    super::demo_missions::seed(conn, tenant.tenant_id(), tenant.zone(), storage)?;
    super::demo_rewards::seed(conn, tenant.tenant_id(), storage).map_err(ServiceError::from)?;
    super::demo_tiers::seed(conn, tenant.tenant_id())?;
    super::demo_news::seed(conn, tenant.tenant_id(), tenant.zone(), storage)?;
    super::demo_notifications::seed(conn, tenant.tenant_id(), chrono::Utc::now())?;
    super::demo_webhooks::seed(conn, tenant.tenant_id())?;
    super::api_keys::seed_demo(conn, tenant.tenant_id())?;
    // Badges were awarded along the seeded history; the backfill catches any rule the
    // history met another way (and does nothing on a second run).
    super::badges::backfill(conn, tenant.tenant_id(), chrono::Utc::now())
        .map_err(|e| ServiceError::Other(anyhow::anyhow!(e)))?;
    // The badges of the demo's history are not news: no e-mail about them.
    crate::db::declarations::forget_queued_emails(conn, tenant.tenant_id(), "badge\\_%")?;
    Ok(SeedReport {
        tenant,
        created_users,
    })
}

/// Respire's network, range and people, imported as a brand would import its files
/// (the French Excel exports use semicolons and decimal commas).
const DEMO_FILES: [(ImportKind, &str, &str); 3] = [
    (
        ImportKind::Partners,
        "demo_data/partners.csv",
        include_str!("demo_data/partners.csv"),
    ),
    (
        ImportKind::Products,
        "demo_data/products.csv",
        include_str!("demo_data/products.csv"),
    ),
    (
        ImportKind::Participants,
        "demo_data/participants.csv",
        include_str!("demo_data/participants.csv"),
    ),
];

/// A demo segment: rule lists and explicit partner codes.
struct DemoSegment {
    name: &'static str,
    kinds: &'static [&'static str],
    regions: &'static [&'static str],
    tiers: &'static [&'static str],
    codes: &'static str,
}

const DEMO_SEGMENTS: &[DemoSegment] = &[
    DemoSegment {
        name: "Officines Gold et Silver",
        kinds: &["reseller"],
        regions: &[],
        tiers: &["Gold", "Silver"],
        codes: "",
    },
    DemoSegment {
        name: "Grand Sud-Est",
        kinds: &[],
        regions: &["Auvergne-Rhône-Alpes", "Provence-Alpes-Côte d'Azur"],
        tiers: &[],
        codes: "",
    },
    DemoSegment {
        name: "Boutiques Respire",
        kinds: &["franchisee"],
        regions: &[],
        tiers: &[],
        codes: "",
    },
    DemoSegment {
        name: "Pilotes nouveautés",
        kinds: &[],
        regions: &[],
        tiers: &[],
        codes: "PH-75-0012 PA-69-0031 PH-13-0007 PH-31-0026",
    },
];

/// Imports the demo files (again: unchanged rows stay as they are) and creates the
/// missing segments. Returns how many participants were created (and invited).
fn seed_network(conn: &mut PgConnection, tenant: TenantId) -> Result<usize, ServiceError> {
    let actor = Actor::system("seed-demo");
    let mut created_participants = 0;
    for (kind, name, text) in DEMO_FILES {
        let file = ImportFile {
            kind,
            name,
            bytes: text.as_bytes(),
        };
        let summary =
            imports::import(conn, tenant, &actor, &file, &Silent).map_err(|e| match e {
                ImportError::Failed(e) => e,
                ImportError::Refused(r) => {
                    anyhow::anyhow!("{name} was refused: {:?}", r.errors).into()
                }
            })?;
        if kind == ImportKind::Participants {
            created_participants += summary.created;
        }
    }
    for demo in DEMO_SEGMENTS {
        if db_segments::find_by_name(conn, tenant, demo.name)?.is_some() {
            continue;
        }
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        let input = SegmentInput {
            name: demo.name.to_string(),
            kinds: list(demo.kinds),
            regions: list(demo.regions),
            tiers: list(demo.tiers),
            partner_codes: demo.codes.to_string(),
            form_token: String::new(),
        };
        segments::create(conn, tenant, &actor, &input)?;
    }
    Ok(created_participants)
}
