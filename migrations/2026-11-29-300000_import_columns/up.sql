-- CSV files whose headers were not recognised: the user maps the file's columns on the
-- import page. The choice is kept per tenant and kind of file and applied to the next
-- files; the uploaded file waits (a day at most) while the user chooses.

CREATE TABLE import_column_mappings (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    kind TEXT NOT NULL CHECK (kind IN
        ('partners', 'participants', 'products', 'sell_in', 'opening_stock', 'sell_out')),
    -- {"external_code": "codeclient", …}: each column, the folded header that holds it.
    mapping JSONB NOT NULL CHECK (jsonb_typeof(mapping) = 'object'),
    updated_by BIGINT,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, kind),
    FOREIGN KEY (tenant_id, updated_by) REFERENCES users (tenant_id, id)
);

CREATE TABLE import_uploads (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    user_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX import_uploads_created_idx ON import_uploads (tenant_id, created_at);
