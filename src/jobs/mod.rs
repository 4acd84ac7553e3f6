//! The job worker: claims due jobs from the Postgres queue, runs them and settles them.
//! Runs inside `relais serve` (default) or alone as `relais worker`; several workers
//! can run at once (claims use `FOR UPDATE SKIP LOCKED`).

mod webhook;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tera::Tera;
use tokio::sync::watch;

use crate::config::Settings;
use crate::db::jobs::Job;
use crate::db::{self, DbPool};
use crate::domain::ChallengeId;
use crate::email::{render, Mailer};
use crate::error::AppError;
use crate::services::email::{self, EmailMessage};
use crate::services::notifications::{self, Delivery};
use crate::services::{accounts, challenges, jobs, points, webhooks};

const BATCH: i64 = 20;

pub struct Worker {
    pool: DbPool,
    settings: Settings,
    templates: Tera,
    mailer: Mailer,
    /// TLS of outgoing webhooks.
    tls: Arc<rustls::ClientConfig>,
}

impl Worker {
    pub fn new(settings: Settings, pool: DbPool) -> Result<Self, String> {
        let templates = crate::templates::load(&settings).map_err(|e| e.to_string())?;
        let mailer = Mailer::from_settings(&settings.email, &settings.root)?;
        Ok(Worker {
            pool,
            settings,
            templates,
            mailer,
            tls: webhook::tls_config()?,
        })
    }

    /// Runs every job due at `now` (tests pass a later `now` to fast-forward retries).
    /// Returns how many jobs were run, successfully or not.
    pub async fn run_due(&self, now: DateTime<Utc>) -> Result<usize, AppError> {
        self.run_due_unless(now, &|| false).await
    }

    /// As `run_due`, but stops between batches once `stopping` says so: a claimed batch
    /// is always finished and settled.
    async fn run_due_unless(
        &self,
        now: DateTime<Utc>,
        stopping: &dyn Fn() -> bool,
    ) -> Result<usize, AppError> {
        let mut ran = 0;
        while !stopping() {
            let batch = db::run(&self.pool, move |conn| jobs::claim(conn, now, BATCH)).await?;
            if batch.is_empty() {
                break;
            }
            for job in batch {
                let outcome = self.execute(&job, now).await;
                if let Err(error) = &outcome {
                    tracing::warn!(job_id = %job.id, kind = %job.kind, attempt = job.attempts, %error, "job failed");
                }
                let base = chrono::Duration::seconds(self.settings.jobs.backoff_base_seconds);
                db::run(&self.pool, move |conn| match outcome {
                    Ok(Settled::Done) => jobs::complete(conn, &job, now),
                    Ok(Settled::Skipped(reason)) => jobs::skip(conn, &job, &reason, now),
                    Err(error) => jobs::fail(conn, &job, &error, base, now),
                })
                .await?;
                ran += 1;
            }
        }
        Ok(ran)
    }

    /// Polls the queue until `stop` turns true, then finishes the batch in hand and
    /// returns, dropping the mailer while the runtime still runs (its SMTP pool needs
    /// the runtime to close its connections).
    pub async fn run_until(self, mut stop: watch::Receiver<bool>) {
        let pause = Duration::from_millis(self.settings.jobs.poll_interval_ms);
        tracing::info!("job worker started");
        let mut scheduled_at: Option<DateTime<Utc>> = None;
        let stopping = {
            let stop = stop.clone();
            move || *stop.borrow()
        };
        while !stopping() {
            // Queue each tenant's daily job (a no-op when another worker already did).
            let now = Utc::now();
            if scheduled_at.is_none_or(|at| now - at > chrono::Duration::minutes(10)) {
                match db::run(&self.pool, move |conn| points::schedule_daily(conn, now)).await {
                    Ok(_) => scheduled_at = Some(now),
                    Err(e) => tracing::error!(error = %e, "could not schedule the daily jobs"),
                }
                let window = chrono::Duration::minutes(self.settings.security.login_window_minutes);
                if let Err(e) = db::run(&self.pool, move |conn| {
                    accounts::housekeeping(conn, now, window)
                })
                .await
                {
                    tracing::error!(error = %e, "could not forget expired sessions");
                }
            }
            if let Err(e) = self.run_due_unless(Utc::now(), &stopping).await {
                tracing::error!(error = %e, "job worker could not reach the queue");
            }
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => {}
            }
        }
        tracing::info!("job worker stopped");
    }

    async fn execute(&self, job: &Job, now: DateTime<Utc>) -> Result<Settled, String> {
        match job.kind.as_str() {
            challenges::TICK_JOB => {
                let tenant = job.tenant_id;
                let id: ChallengeId = serde_json::from_value(job.payload["challenge"].clone())
                    .map_err(|e| format!("unreadable challenge job: {e}"))?;
                let done = db::run(&self.pool, move |conn| {
                    challenges::close::advance(conn, tenant, id, now)
                })
                .await
                .map_err(|e| e.to_string())?;
                tracing::info!(tenant_id = %tenant, challenge_id = %id, status = ?done.status, awarded = done.awarded, "challenge tick");
                Ok(Settled::Done)
            }
            email::JOB_KIND => self.send_email(job).await,
            webhooks::JOB_KIND => self.send_webhook(job).await,
            points::DAILY_JOB => {
                let tenant = job.tenant_id;
                let now = Utc::now();
                let run = db::run(&self.pool, move |conn| points::run_daily(conn, tenant, now))
                    .await
                    .map_err(|e| e.to_string())?;
                tracing::info!(
                    tenant_id = %tenant,
                    expired = run.expired_points,
                    warned = run.warnings_queued,
                    tiers_changed = run.tiers_changed,
                    challenge_endings = run.notices.challenge_endings,
                    monthly_summaries = run.notices.monthly_summaries,
                    "daily run"
                );
                Ok(Settled::Done)
            }
            other => Err(format!("no handler for job kind {other:?}")),
        }
    }

    /// Sends an e-mail unless its recipient turned its category off (checked now, so an
    /// opt-out made after it was queued still counts).
    async fn send_email(&self, job: &Job) -> Result<Settled, String> {
        let message: EmailMessage = serde_json::from_value(job.payload.clone())
            .map_err(|e| format!("unreadable e-mail job: {e}"))?;
        let tenant_id = job.tenant_id;
        let m = message.clone();
        let (tenant, delivery) = db::run(&self.pool, move |conn| {
            let tenant = db::tenants::find(conn, tenant_id)?;
            let delivery = notifications::delivery(conn, tenant_id, &m)?;
            Ok::<_, AppError>((tenant, delivery))
        })
        .await
        .map_err(|e| e.to_string())?;
        let recipient = match delivery {
            Delivery::Send { recipient } => recipient,
            Delivery::Skip(reason) => return Ok(Settled::Skipped(reason)),
        };
        let outgoing = render::render_for(
            &self.templates,
            &self.settings,
            &tenant,
            &message,
            recipient,
        )?;
        self.mailer.send(outgoing).await.map(|()| Settled::Done)
    }
}

/// How a job that ran is settled.
enum Settled {
    Done,
    /// Nothing to do, for this reason.
    Skipped(String),
}
