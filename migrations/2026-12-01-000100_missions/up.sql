-- Missions: a task with a points value, a window, eligible segments and a completion
-- limit. The common fields live in `missions`; what only one kind needs lives in a
-- table of its own, one row per mission (`mission_quiz_rules` now; photo and video
-- rules next), so that every column has a type and a CHECK rather than a JSON blob.
-- tenant_id leads every key, as everywhere.

CREATE TABLE missions (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    kind TEXT NOT NULL CHECK (kind IN ('quiz', 'survey', 'photo', 'video')),
    title TEXT NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 120),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    points BIGINT NOT NULL CHECK (points BETWEEN 0 AND 1000000),
    -- [starts_at, ends_at): whole days of the tenant's zone, computed by the service.
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    -- once, `max_completions` times, once per week or once per month (tenant's zone).
    completion_limit TEXT NOT NULL CHECK (completion_limit IN ('once', 'times', 'weekly', 'monthly')),
    max_completions INTEGER CHECK (max_completions BETWEEN 2 AND 100),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    -- Order on the participant's page (smallest first).
    position INTEGER NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 10000),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (ends_at > starts_at),
    CHECK ((completion_limit = 'times') = (max_completions IS NOT NULL))
);
CREATE INDEX missions_list_idx ON missions (tenant_id, status, position, id);

-- A quiz's scoring rules.
CREATE TABLE mission_quiz_rules (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    mission_id BIGINT NOT NULL,
    pass_mark INTEGER NOT NULL CHECK (pass_mark BETWEEN 1 AND 100),
    max_attempts INTEGER NOT NULL CHECK (max_attempts BETWEEN 1 AND 20),
    time_limit_seconds INTEGER CHECK (time_limit_seconds BETWEEN 30 AND 86400),
    PRIMARY KEY (tenant_id, mission_id),
    FOREIGN KEY (tenant_id, mission_id) REFERENCES missions (tenant_id, id) ON DELETE CASCADE
);

-- Who may see a mission: members of any of these segments; none listed = everyone.
CREATE TABLE mission_segments (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    mission_id BIGINT NOT NULL,
    segment_id BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, mission_id, segment_id),
    FOREIGN KEY (tenant_id, mission_id) REFERENCES missions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, segment_id) REFERENCES segments (tenant_id, id)
);

-- Questions of a quiz (single, multiple) or a survey (any kind), in order.
CREATE TABLE mission_questions (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    mission_id BIGINT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('single', 'multiple', 'short_text', 'long_text', 'rating')),
    prompt TEXT NOT NULL CHECK (length(btrim(prompt)) BETWEEN 1 AND 500),
    required BOOLEAN NOT NULL DEFAULT true,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, mission_id) REFERENCES missions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX mission_questions_mission_idx ON mission_questions (tenant_id, mission_id, position);

-- The options of a choice question; `correct` only means something in a quiz, and is
-- never sent to a participant's browser before their attempt is scored.
CREATE TABLE mission_options (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    question_id BIGINT NOT NULL,
    position INTEGER NOT NULL,
    label TEXT NOT NULL CHECK (length(btrim(label)) BETWEEN 1 AND 200),
    correct BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, question_id) REFERENCES mission_questions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX mission_options_question_idx ON mission_options (tenant_id, question_id, position);

-- One go at a mission by a participant: a quiz attempt (started, then submitted and
-- scored, or timed out) or a survey's submission. `period` is the completion it counts
-- towards (see domain::missions::Period); attempts are limited per period.
CREATE TABLE mission_attempts (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    mission_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    period TEXT NOT NULL CHECK (length(period) BETWEEN 1 AND 20),
    -- Shuffles the options of this attempt (domain::missions::shuffled).
    shuffle_seed BIGINT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    submitted_at TIMESTAMPTZ,
    score_percent INTEGER CHECK (score_percent BETWEEN 0 AND 100),
    passed BOOLEAN,
    timed_out BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, mission_id) REFERENCES missions (tenant_id, id),
    FOREIGN KEY (tenant_id, participant_id) REFERENCES users (tenant_id, id),
    CHECK ((submitted_at IS NULL) = (passed IS NULL))
);
CREATE INDEX mission_attempts_participant_idx
    ON mission_attempts (tenant_id, mission_id, participant_id, period);
-- At most one attempt in progress per participant and mission.
CREATE UNIQUE INDEX mission_attempts_open_key
    ON mission_attempts (tenant_id, mission_id, participant_id) WHERE submitted_at IS NULL;

-- The answer to one question in one attempt: chosen options, a text or a rating, and
-- whether it was right (quizzes).
CREATE TABLE mission_answers (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    attempt_id BIGINT NOT NULL,
    question_id BIGINT NOT NULL,
    option_ids BIGINT[] NOT NULL DEFAULT '{}',
    text_value TEXT CHECK (length(text_value) <= 4000),
    rating SMALLINT CHECK (rating BETWEEN 1 AND 5),
    correct BOOLEAN,
    PRIMARY KEY (tenant_id, attempt_id, question_id),
    FOREIGN KEY (tenant_id, attempt_id) REFERENCES mission_attempts (tenant_id, id),
    FOREIGN KEY (tenant_id, question_id) REFERENCES mission_questions (tenant_id, id)
);
CREATE INDEX mission_answers_question_idx ON mission_answers (tenant_id, question_id);

-- Each allowed completion, once: the unique key is the completion limit made concrete
-- (`once`, the n-th of N, an ISO week or a month of the tenant's zone). Its points are
-- earned in the same transaction, with the mission as cause.
CREATE TABLE mission_completions (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    mission_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    attempt_id BIGINT NOT NULL,
    ledger_transaction_id BIGINT,
    completed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT mission_completions_once_key UNIQUE (tenant_id, mission_id, participant_id, period),
    FOREIGN KEY (tenant_id, mission_id) REFERENCES missions (tenant_id, id),
    FOREIGN KEY (tenant_id, participant_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, attempt_id) REFERENCES mission_attempts (tenant_id, id),
    FOREIGN KEY (tenant_id, ledger_transaction_id) REFERENCES ledger_transactions (tenant_id, id)
);
