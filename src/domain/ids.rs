//! Identifier newtypes, one per entity, in the spirit of Lemmy's `newtypes.rs`: a
//! partner id can never be passed where a product id belongs.
//!
//! Each id is an `i64` underneath and maps to Postgres `bigint` (diesel's `BigInt`)
//! directly, so rows hold `pub id: PartnerId`, queries compare columns with ids
//! (`partners::id.eq(partner)`), and selecting an id column yields the id type. This is
//! the one piece of `domain` that knows diesel: the mapping is derived, nothing queries.
//! Serde sees the bare number (`#[serde(transparent)]`), so templates, forms and path
//! segments read and write ids as before.
//!
//! The type system is the proof; this does not compile:
//!
//! ```compile_fail
//! use relais::domain::ids::{PartnerId, ProductId};
//! fn product(_: ProductId) {}
//! product(PartnerId(1));
//! ```
//!
//! Polymorphic references (`audit_events.subject_id`, `ledger_transactions.cause_id`,
//! whose type is named by a column beside them) stay `i64`.

use diesel::deserialize::{FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{Output, ToSql};
use diesel::sql_types::BigInt;
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            Serialize,
            Deserialize,
            AsExpression,
            FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = BigInt)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        /// For the columns that refer to several kinds of rows (an audit event's subject,
        /// a transaction's cause, what a one-time form created).
        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> $name {
                $name(id)
            }
        }

        impl ToSql<BigInt, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> diesel::serialize::Result {
                <i64 as ToSql<BigInt, Pg>>::to_sql(&self.0, out)
            }
        }

        impl FromSql<BigInt, Pg> for $name {
            fn from_sql(bytes: PgValue<'_>) -> diesel::deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Pg>>::from_sql(bytes).map($name)
            }
        }
    };
}

id_type!(
    /// `tenants.id`
    TenantId
);
id_type!(
    /// `users.id`: staff and participants alike.
    UserId
);
id_type!(
    /// `partners.id`
    PartnerId
);
id_type!(
    /// `products.id`
    ProductId
);
id_type!(
    /// `segments.id`
    SegmentId
);
id_type!(
    /// `declarations.id` (its lines and proofs are numbered within it).
    DeclarationId
);
id_type!(
    /// `declaration_decisions.id`
    DecisionId
);
id_type!(
    /// `sell_in.id`
    SellInId
);
id_type!(
    /// `import_uploads.id`: a file kept for its column mapping.
    UploadId
);
id_type!(
    /// `jobs.id`: e-mails (the outbox) and scheduled work.
    JobId
);
id_type!(
    /// `audit_events.id`
    AuditEventId
);
id_type!(
    /// `auth_tokens.id`: invitation and password-reset links.
    AuthTokenId
);
id_type!(
    /// `ledger_accounts.id`
    AccountId
);
id_type!(
    /// `ledger_transactions.id`
    TransactionId
);
id_type!(
    /// `ledger_lots.id`
    LotId
);
id_type!(
    /// `ledger_holds.id`
    HoldId
);

id_type!(
    /// `missions.id`
    MissionId
);
id_type!(
    /// `mission_questions.id`
    QuestionId
);
id_type!(
    /// `mission_options.id`: a choice of a question.
    OptionId
);
id_type!(
    /// `mission_attempts.id`: a quiz attempt, a survey's or a photo mission's submission.
    AttemptId
);
id_type!(
    /// `media.id`: a mission's cover image, example image or video.
    MediaId
);
id_type!(
    /// `mission_video_watches.id`: watching a video towards one completion.
    WatchId
);
id_type!(
    /// `mission_completions.id`
    CompletionId
);
id_type!(
    /// `challenges.id`
    ChallengeId
);
id_type!(
    /// `rewards.id`
    RewardId
);
id_type!(
    /// `reward_orders.id`
    OrderId
);
id_type!(
    /// `reward_order_lines.id`
    OrderLineId
);
id_type!(
    /// `webhook_endpoints.id`
    WebhookEndpointId
);

id_type!(
    /// `webhook_deliveries.id`
    WebhookDeliveryId
);

id_type!(
    /// `news_posts.id`
    NewsPostId
);
id_type!(
    /// `api_keys.id`
    ApiKeyId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_write_as_bare_numbers() {
        let id = PartnerId(42);
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(serde_json::from_str::<PartnerId>("42").unwrap(), id);
        assert_eq!(id.to_string(), "42");
        assert_eq!("42".parse::<PartnerId>().unwrap(), id);
        assert!("4x".parse::<PartnerId>().is_err());
    }
}
