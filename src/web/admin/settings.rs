//! The tenant's regional settings: time zone, currency and the value of a point.

use serde::Serialize;

use super::super::render::Page;
use super::settings_page::{Load, Save, SettingsPage};
use crate::db::tenants::Tenant;
use crate::domain::{Currency, Zone};
use crate::services::regional::{self, RegionalInput};

#[derive(Serialize)]
struct CurrencyChoice {
    code: &'static str,
    digits: u8,
}

impl SettingsPage for RegionalInput {
    type Saved = Tenant;
    const PATH: &'static str = "/admin/settings";
    const TEMPLATE: &'static str = "admin/settings.html";
    const SAVED: &'static str = "settings-saved";
    const LOAD: Load<Tenant> = regional::settings;
    const FILL: fn(&Tenant) -> Self = RegionalInput::of;
    const SAVE: Save<Self, Tenant> = regional::update;

    fn choices(page: &mut Page) {
        let currencies: Vec<CurrencyChoice> = Currency::ALL
            .iter()
            .map(|c| CurrencyChoice {
                code: c.code,
                digits: c.digits,
            })
            .collect();
        page.insert("zones", &Zone::all_names().collect::<Vec<_>>())
            .insert("currencies", &currencies);
    }
}
