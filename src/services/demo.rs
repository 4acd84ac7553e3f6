//! The demo tenant: Respire, an organic deodorant brand selling through pharmacies and
//! parapharmacies in several French regions. Seeding is idempotent.

use diesel::prelude::*;

use super::accounts::{self, NewAccount};
use super::tenants::{self as tenant_service, NewTenantInput};
use super::ServiceError;
use crate::db::tenants::{self, Tenant, ThemeChanges};
use crate::db::users;
use crate::domain::{Locale, Role};

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
pub fn seed(conn: &mut PgConnection) -> Result<SeedReport, ServiceError> {
    let mut created_users = 0;
    let tenant = match tenants::find_by_slug(conn, DEMO_SLUG)? {
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
    Ok(SeedReport {
        tenant,
        created_users,
    })
}
