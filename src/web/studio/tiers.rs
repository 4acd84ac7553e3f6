//! Status tiers in the studio: the tiers and window (one settings form, audited), and the
//! tier a reward requires (a small form of the reward's page).

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::super::admin::settings_page::{Load, Save, SettingsPage};
use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::{refused, see_other};
use super::catalog::form_page;
use crate::db;
use crate::db::rewards::Rewards;
use crate::domain::RewardId;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::tiers::{self as service, TierSettings, TiersInput};
use crate::startup::AppState;

impl SettingsPage for TiersInput {
    type Saved = TierSettings;
    const PATH: &'static str = "/studio/tiers";
    const TEMPLATE: &'static str = "studio/tiers.html";
    const SAVED: &'static str = "tiers-saved";
    const LOAD: Load<TierSettings> = service::settings;
    const FILL: fn(&TierSettings) -> Self = TiersInput::of;
    const SAVE: Save<Self, TierSettings> = service::save_settings;

    fn choices(page: &mut Page) {
        let rows: Vec<[&str; 3]> = service::ROW_FIELDS.to_vec();
        page.insert("rows", &rows);
    }
}

#[derive(Deserialize)]
pub struct MinTierForm {
    #[serde(default)]
    min_tier: String,
}

/// Sets the status tier a reward requires (empty: none).
pub async fn set_reward_tier(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<RewardId>,
    form: web::Form<MinTierForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor, id) = (tenant.0.tenant_id(), Actor::user(&me.0), path.into_inner());
    let typed = form.into_inner().min_tier;
    let result = db::run(&state.pool, move |conn| {
        refused(service::set_reward_min_tier(conn, tid, &actor, id, &typed))
    })
    .await?;
    match result {
        Ok(()) => {
            page.flash("tiers-reward-saved")?;
            Ok(see_other(&format!("/studio/rewards/{id}#tier")))
        }
        Err(errors) => form_page::<Rewards>(page, &state, tid, Some(id), &errors).await,
    }
}
