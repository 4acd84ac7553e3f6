-- Photo and video missions, and the files missions show.
--
-- Cover images, example images and videos are files: their bytes live in the storage
-- service (a directory or an S3-compatible bucket, keyed by tenant), and a `media` row
-- says what they are and whose they are. A mission has at most one file per role; who
-- may fetch it follows the mission (its tenant's staff, its eligible participants).
CREATE TABLE media (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    mission_id BIGINT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('cover', 'example', 'video')),
    storage_key TEXT NOT NULL CHECK (length(storage_key) BETWEEN 1 AND 300),
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL CHECK (size > 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, mission_id, role),
    UNIQUE (tenant_id, storage_key),
    FOREIGN KEY (tenant_id, mission_id) REFERENCES missions (tenant_id, id)
);

-- A photo mission's rules: what to photograph, how many photos (1–5), and the
-- products concerned (the tenant's product ids; checked by the service).
CREATE TABLE mission_photo_rules (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    mission_id BIGINT NOT NULL,
    instructions TEXT NOT NULL DEFAULT '' CHECK (length(instructions) <= 2000),
    photos_required SMALLINT NOT NULL CHECK (photos_required BETWEEN 1 AND 5),
    product_ids BIGINT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, mission_id),
    FOREIGN KEY (tenant_id, mission_id) REFERENCES missions (tenant_id, id) ON DELETE CASCADE
);

-- A video mission's rules: the video's duration (read from the file or entered). A
-- follow-up quiz is the mission's questions with its `mission_quiz_rules`.
CREATE TABLE mission_video_rules (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    mission_id BIGINT NOT NULL,
    duration_seconds INTEGER CHECK (duration_seconds BETWEEN 1 AND 14400),
    PRIMARY KEY (tenant_id, mission_id),
    FOREIGN KEY (tenant_id, mission_id) REFERENCES missions (tenant_id, id) ON DELETE CASCADE
);

-- A photo submission is an attempt, submitted and awaiting review until `passed` is
-- set by a reviewer (with a reason when rejected). Quiz and survey attempts are
-- decided when submitted, as before.
ALTER TABLE mission_attempts
    DROP CONSTRAINT mission_attempts_check,
    ADD COLUMN review_reason TEXT CHECK (length(review_reason) <= 1000),
    ADD COLUMN reviewed_by BIGINT,
    ADD COLUMN reviewed_at TIMESTAMPTZ,
    ADD CHECK (passed IS NULL OR submitted_at IS NOT NULL),
    ADD FOREIGN KEY (tenant_id, reviewed_by) REFERENCES users (tenant_id, id);
-- The review queue: submissions awaiting a decision, oldest first.
CREATE INDEX mission_attempts_review_idx
    ON mission_attempts (tenant_id, submitted_at, id)
    WHERE passed IS NULL AND submitted_at IS NOT NULL;

-- The photos of a submission: the proof machinery of declarations (content checked,
-- a thumbnail made), stored the same way.
CREATE TABLE mission_photos (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    attempt_id BIGINT NOT NULL,
    n SMALLINT NOT NULL CHECK (n BETWEEN 1 AND 5),
    content_type TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    bytes BYTEA NOT NULL,
    thumbnail BYTEA,
    PRIMARY KEY (tenant_id, attempt_id, n),
    FOREIGN KEY (tenant_id, attempt_id) REFERENCES mission_attempts (tenant_id, id)
);

-- Watching a video towards one completion: the seconds seen (a bitmap, bit i = second
-- i), from progress reports; complete once 90 % is seen and as much wall time has
-- passed since the start.
CREATE TABLE mission_video_watches (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    mission_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    seen BYTEA NOT NULL DEFAULT '',
    watched_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, mission_id, participant_id, period),
    FOREIGN KEY (tenant_id, mission_id) REFERENCES missions (tenant_id, id),
    FOREIGN KEY (tenant_id, participant_id) REFERENCES users (tenant_id, id)
);
