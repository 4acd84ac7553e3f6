//! Participants from CSV, matched on `email`, each attached to the partner named by
//! `partner_code`. New participants get an invitation in the import's transaction.

use diesel::prelude::*;

use super::csv_file::Table;
use super::{FirstSeen, ImportError, Phase, Progress, Refusal, Summary};
use crate::db::participants::{self, MembershipChanges};
use crate::db::partners;
use crate::db::users::{self, NewUser};
use crate::domain::network::ExternalCode;
use crate::domain::{DisplayName, EmailAddress, Locale, PartnerId, Role, TenantId};
use crate::services::audit::Actor;
use crate::services::catalog::field;
use crate::services::invitations;
use crate::services::FieldErrors;

struct Row {
    email: EmailAddress,
    name: DisplayName,
    partner_id: PartnerId,
    locale: Option<Locale>,
}

pub(super) fn run(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    table: &Table,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    progress.start(Phase::Checking, table.rows.len() as u64);
    // What the rows refer to, looked up once.
    let codes: Vec<String> = table
        .rows
        .iter()
        .filter_map(|r| ExternalCode::parse(table.cell(r, "partner_code")).ok())
        .map(|c| c.as_str().to_string())
        .collect();
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    let partners_by_code = partners::by_codes(conn, tenant, &codes)?;
    let emails: Vec<String> = table
        .rows
        .iter()
        .filter_map(|r| EmailAddress::parse(table.cell(r, "email")).ok())
        .map(|e| e.as_str().to_string())
        .collect();
    let emails: Vec<&str> = emails.iter().map(String::as_str).collect();
    let existing = participants::by_emails(conn, tenant, &emails)?;

    let mut refusal = Refusal::default();
    let mut seen = FirstSeen::new();
    let mut valid = vec![];
    for record in &table.rows {
        let mut e = FieldErrors::new();
        let email = field(
            &mut e,
            "email",
            EmailAddress::parse(table.cell(record, "email")),
        );
        let name = field(
            &mut e,
            "name",
            DisplayName::parse(table.cell(record, "name")),
        );
        let code = table.cell(record, "partner_code");
        let partner = field(&mut e, "partner_code", ExternalCode::parse(code)).and_then(|c| {
            let found = partners_by_code.get(c.as_str());
            let checked = match found {
                None => Err("error-partner-code-unknown"),
                Some(p) if !p.active => Err("error-partner-inactive"),
                Some(p) => Ok(p.id),
            };
            field(&mut e, "partner_code", checked)
        });
        let locale = match table.cell(record, "locale") {
            "" => Some(None),
            l => field(
                &mut e,
                "locale",
                Locale::parse(l).ok_or("error-locale-invalid"),
            )
            .map(Some),
        };
        if let Some(email) = &email {
            if let Some(first) = seen.earlier(email.as_str(), record.line) {
                let value = email.as_str();
                refusal.cell(
                    record.line,
                    "email",
                    "error-import-duplicate",
                    value,
                    Some(first),
                );
            }
            let role = existing.get(email.as_str()).map(|u| u.role());
            if role.is_some_and(|r| r != Role::Participant) {
                e.insert("email", "error-import-not-participant");
            }
        }
        match (email, name, partner, locale) {
            (Some(email), Some(name), Some(partner_id), Some(locale)) if e.is_empty() => valid
                .push(Row {
                    email,
                    name,
                    partner_id,
                    locale,
                }),
            _ => refusal.fields(table, record, e),
        }
        progress.advance(1);
    }
    refusal.check()?;

    progress.start(Phase::Writing, valid.len() as u64);
    let mut summary = Summary::default();
    let now = chrono::Utc::now();
    for row in &valid {
        let locale = row.locale.map(Locale::as_str);
        match existing.get(row.email.as_str()) {
            Some(user) => {
                let changed = user.display_name != row.name.as_str()
                    || user.partner_id != Some(row.partner_id)
                    || locale.is_some_and(|l| user.locale.as_deref() != Some(l));
                if changed {
                    let changes = MembershipChanges {
                        display_name: row.name.as_str(),
                        partner_id: Some(row.partner_id),
                        locale,
                        updated_at: now,
                    };
                    participants::update_membership(conn, tenant, user.id, &changes)?;
                    summary.updated += 1;
                } else {
                    summary.unchanged += 1;
                }
            }
            None => {
                let new = NewUser {
                    tenant_id: tenant,
                    email: row.email.as_str(),
                    display_name: row.name.as_str(),
                    role: Role::Participant.as_str(),
                    password_hash: None,
                    locale,
                    partner_id: Some(row.partner_id),
                };
                let user = users::insert(conn, &new)?;
                invitations::issue_invitation(conn, tenant, user.user_id(), actor)?;
                summary.created += 1;
                summary.invited += 1;
            }
        }
        progress.advance(1);
    }
    Ok(summary)
}
