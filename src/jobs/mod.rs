//! The job worker: claims due jobs from the Postgres queue, runs them and settles them.
//! Runs inside `relais serve` (default) or alone as `relais worker`; several workers
//! can run at once (claims use `FOR UPDATE SKIP LOCKED`).

use std::time::Duration;

use chrono::{DateTime, Utc};
use tera::Tera;

use crate::config::Settings;
use crate::db::jobs::Job;
use crate::db::{self, DbPool};
use crate::domain::TenantId;
use crate::email::{render, Mailer};
use crate::error::AppError;
use crate::services::email::{self, EmailMessage};
use crate::services::{jobs, points};

const BATCH: i64 = 20;

pub struct Worker {
    pool: DbPool,
    settings: Settings,
    templates: Tera,
    mailer: Mailer,
}

impl Worker {
    pub fn new(settings: Settings, pool: DbPool) -> Result<Self, String> {
        let templates = crate::startup::load_templates(&settings).map_err(|e| e.to_string())?;
        let mailer = Mailer::from_settings(&settings.email, &settings.root)?;
        Ok(Worker {
            pool,
            settings,
            templates,
            mailer,
        })
    }

    /// Runs every job due at `now` (tests pass a later `now` to fast-forward retries).
    /// Returns how many jobs were run, successfully or not.
    pub async fn run_due(&self, now: DateTime<Utc>) -> Result<usize, AppError> {
        let mut ran = 0;
        loop {
            let batch = db::run(&self.pool, move |conn| jobs::claim(conn, now, BATCH)).await?;
            if batch.is_empty() {
                return Ok(ran);
            }
            for job in batch {
                let outcome = self.execute(&job).await;
                if let Err(error) = &outcome {
                    tracing::warn!(job_id = job.id, kind = %job.kind, attempt = job.attempts, %error, "job failed");
                }
                let base = chrono::Duration::seconds(self.settings.jobs.backoff_base_seconds);
                db::run(&self.pool, move |conn| match outcome {
                    Ok(()) => jobs::complete(conn, &job, now),
                    Err(error) => jobs::fail(conn, &job, &error, base, now),
                })
                .await?;
                ran += 1;
            }
        }
    }

    /// Polls the queue until the process stops.
    pub async fn run_forever(self) {
        let pause = Duration::from_millis(self.settings.jobs.poll_interval_ms);
        tracing::info!("job worker started");
        let mut scheduled_at: Option<DateTime<Utc>> = None;
        loop {
            // Queue each tenant's daily job (a no-op when another worker already did).
            let now = Utc::now();
            if scheduled_at.is_none_or(|at| now - at > chrono::Duration::minutes(10)) {
                match db::run(&self.pool, move |conn| points::schedule_daily(conn, now)).await {
                    Ok(_) => scheduled_at = Some(now),
                    Err(e) => tracing::error!(error = %e, "could not schedule the daily jobs"),
                }
            }
            if let Err(e) = self.run_due(Utc::now()).await {
                tracing::error!(error = %e, "job worker could not reach the queue");
            }
            tokio::time::sleep(pause).await;
        }
    }

    async fn execute(&self, job: &Job) -> Result<(), String> {
        match job.kind.as_str() {
            email::JOB_KIND => self.send_email(job).await,
            points::DAILY_JOB => {
                let tenant = TenantId(job.tenant_id);
                let now = Utc::now();
                let run = db::run(&self.pool, move |conn| points::run_daily(conn, tenant, now))
                    .await
                    .map_err(|e| e.to_string())?;
                tracing::info!(
                    tenant_id = tenant.0,
                    expired = run.expired_points,
                    warned = run.warnings_queued,
                    "daily run"
                );
                Ok(())
            }
            other => Err(format!("no handler for job kind {other:?}")),
        }
    }

    async fn send_email(&self, job: &Job) -> Result<(), String> {
        let message: EmailMessage = serde_json::from_value(job.payload.clone())
            .map_err(|e| format!("unreadable e-mail job: {e}"))?;
        let tenant_id = TenantId(job.tenant_id);
        let tenant = db::run(&self.pool, move |conn| db::tenants::find(conn, tenant_id))
            .await
            .map_err(|e| e.to_string())?;
        let outgoing = render::render(&self.templates, &self.settings, &tenant, &message)?;
        self.mailer.send(outgoing).await
    }
}
