-- One Postgres-backed queue for everything done after a commit or on a schedule:
-- e-mails (the transactional outbox), closing challenges, expiring points, reminders.
-- Workers claim due rows with FOR UPDATE SKIP LOCKED, so several can run side by side.
CREATE TABLE jobs (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    kind TEXT NOT NULL,
    payload JSONB NOT NULL DEFAULT '{}',
    -- A scheduled job is queued once per key (e.g. 'expire-points:2026-11-23').
    unique_key TEXT,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    run_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 8,
    -- A running job whose worker died is claimed again once this has passed.
    locked_until TIMESTAMPTZ,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT jobs_unique_key UNIQUE (tenant_id, unique_key)
);
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_kind_status_idx ON jobs (tenant_id, kind, status, created_at DESC);
