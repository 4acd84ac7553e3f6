//! The programme's declaration rules (window, caps, auto-approval, stock thresholds).

use super::settings_page::{Load, Save, SettingsPage};
use crate::domain::declarations::Rules;
use crate::services::declarations::{self as service, RulesInput};

impl SettingsPage for RulesInput {
    type Saved = Rules;
    const PATH: &'static str = "/admin/declarations/rules";
    const TEMPLATE: &'static str = "admin/declaration_rules.html";
    const SAVED: &'static str = "review-rules-saved";
    const LOAD: Load<Rules> = service::rules;
    const FILL: fn(&Rules) -> Self = RulesInput::of;
    const SAVE: Save<Self, Rules> = service::update_rules;
}
