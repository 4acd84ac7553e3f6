-- Profile: a phone number the participant may give, and when an admin anonymised the
-- account (GDPR erasure: the ledger and declarations stay, the person is gone).
ALTER TABLE users ADD COLUMN phone TEXT CHECK (length(phone) <= 40);
ALTER TABLE users ADD COLUMN anonymised_at TIMESTAMPTZ;

-- News: short posts by the brand, shown to the participants of their segments (none:
-- everyone) from their publication day to their end day (in the tenant's time zone).
CREATE TABLE news_posts (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    publish_on DATE NOT NULL,
    end_on DATE,
    image_key TEXT CHECK (length(image_key) BETWEEN 1 AND 300),
    author_id BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, image_key),
    FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id),
    CHECK (end_on IS NULL OR end_on >= publish_on)
);
CREATE INDEX news_posts_publish_idx ON news_posts (tenant_id, publish_on DESC, id DESC);

CREATE TABLE news_segments (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    post_id BIGINT NOT NULL,
    segment_id BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, post_id, segment_id),
    FOREIGN KEY (tenant_id, post_id) REFERENCES news_posts (tenant_id, id),
    FOREIGN KEY (tenant_id, segment_id) REFERENCES segments (tenant_id, id)
);
