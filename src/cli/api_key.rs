//! `relais api-key create|list|revoke --tenant SLUG`: API keys from the command line (the
//! admin page does the same); the secret is printed once.

use chrono::Utc;
use clap::Subcommand;

use crate::db::{tenants, DbPool};
use crate::domain::ApiKeyId;
use crate::services::api_keys::{self, KeyInput};
use crate::services::audit::Actor;

#[derive(Subcommand)]
pub enum ApiKeyCommand {
    /// Create a key and print its secret (shown this once).
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        name: String,
        /// Comma-separated: read, sell-in, sell-out, network, fulfilment.
        #[arg(long, value_delimiter = ',', default_value = "read")]
        scopes: Vec<String>,
    },
    /// List the tenant's keys (never their secrets).
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Revoke a key by its id.
    Revoke {
        #[arg(long)]
        tenant: String,
        id: i64,
    },
}

pub fn run(pool: &DbPool, command: ApiKeyCommand) -> Result<(), String> {
    let mut conn = super::conn(pool)?;
    let slug = match &command {
        ApiKeyCommand::Create { tenant, .. }
        | ApiKeyCommand::List { tenant }
        | ApiKeyCommand::Revoke { tenant, .. } => tenant.clone(),
    };
    let tenant = tenants::find_by_slug(&mut conn, &slug)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no tenant with slug {slug:?}"))?
        .tenant_id();
    let actor = Actor::system("cli");
    match command {
        ApiKeyCommand::Create { name, scopes, .. } => {
            let input = KeyInput { name, scopes };
            let created = api_keys::create(&mut conn, tenant, &actor, &input, Utc::now())
                .map_err(super::describe)?;
            println!("{}", created.secret);
            eprintln!(
                "API key {} \"{}\" created ({}); the secret above is shown only once.",
                created.key.id,
                created.key.name,
                created.key.scopes.join(", ")
            );
        }
        ApiKeyCommand::List { .. } => {
            for k in api_keys::list(&mut conn, tenant).map_err(super::describe)? {
                let state = match (k.revoked_at, k.last_used_at) {
                    (Some(at), _) => format!("revoked {}", at.format("%Y-%m-%d %H:%M")),
                    (None, Some(at)) => format!("last used {}", at.format("%Y-%m-%d %H:%M")),
                    (None, None) => "never used".to_string(),
                };
                println!(
                    "{}\t{}…\t{}\t{}\t{}",
                    k.id,
                    k.prefix,
                    k.name,
                    k.scopes.join(","),
                    state
                );
            }
        }
        ApiKeyCommand::Revoke { id, .. } => {
            let key = api_keys::revoke(&mut conn, tenant, &actor, ApiKeyId(id), Utc::now())
                .map_err(super::describe)?;
            println!("API key {} \"{}\" revoked", key.id, key.name);
        }
    }
    Ok(())
}
