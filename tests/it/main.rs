//! The integration tests, in one binary (one link instead of one per area): each module
//! is an area of the product, `common` is the harness (a database cloned from a migrated
//! template per test, the real application on port 0, clients, SMTP sink, browser).

// Tests fail loudly: unwrap and expect are how they say what broke.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod analytics;
mod analytics_roi;
mod api;
mod auth;
mod badges;
mod browser;
mod challenges;
mod cli;
mod declarations;
mod email;
mod home;
mod i18n;
mod import_columns;
mod imports;
mod invitations;
mod judges;
mod leaderboard;
mod ledger;
mod mission_media;
mod missions;
mod network;
mod news;
mod notify;
mod ops;
mod points;
mod profile;
mod races;
mod regional;
mod rewards;
mod rewards_admin;
mod rewards_portal;
mod schema;
mod stock;
mod tenancy;
mod theme;
mod tiers;
mod webhook_events;
mod webhooks;
