//! `relais ledger verify`: every invariant of the ledger, checked on one snapshot.

use diesel::prelude::*;
use serde::Serialize;

use super::LedgerError;
use crate::db::ledger::checks;
use crate::domain::TenantId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub invariant: &'static str,
    pub tenant_id: TenantId,
    /// What `id` names: a transaction, a participant (user id), a hold or a lot.
    pub subject: &'static str,
    pub id: i64,
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: tenant {} {} {}: {}",
            self.invariant, self.tenant_id, self.subject, self.id, self.detail
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub transactions_checked: i64,
    pub violations: Vec<Violation>,
}

/// Checks every invariant, for one tenant or all of them.
pub fn verify(
    conn: &mut PgConnection,
    tenant: Option<TenantId>,
) -> Result<Verification, LedgerError> {
    conn.build_transaction()
        .repeatable_read()
        .read_only()
        .run(|conn| {
            let mut violations = Vec::new();
            for &(invariant, subject, query) in checks::CHECKS {
                for offence in checks::run_check(conn, query, tenant)? {
                    violations.push(Violation {
                        invariant,
                        tenant_id: offence.tenant_id,
                        subject,
                        id: offence.id,
                        detail: offence.detail,
                    });
                }
            }
            Ok(Verification {
                transactions_checked: checks::count_transactions(conn, tenant)?,
                violations,
            })
        })
}
