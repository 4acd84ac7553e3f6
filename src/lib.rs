//! Relais: a whitelabel partner incentive and loyalty platform.
//!
//! Data flows one way: `web` → `services` → (`domain`, `db`). See docs/architecture.md.

pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod email;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod services;
pub mod startup;
pub mod telemetry;
pub mod templates;
pub mod web;
