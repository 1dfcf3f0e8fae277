-- Master-data imports (CSV) and the attachments of a transfer's required documents.

-- One row per import: the report an officer saw, kept so a retried upload with the same
-- Idempotency-Key answers the same report instead of running again.
CREATE TABLE import_runs (
    id               uuid        PRIMARY KEY,
    tenant           text        NOT NULL REFERENCES tenants,
    kind             text        NOT NULL CHECK (kind IN ('employees', 'positions', 'units')),
    filename         text,
    file_sha256      text        NOT NULL,
    actor_id         text        NOT NULL,
    actor_role       text        NOT NULL,
    idempotency_key  text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    report           jsonb       NOT NULL,
    UNIQUE (tenant, actor_id, idempotency_key)
);
CREATE INDEX import_runs_tenant_created ON import_runs (tenant, created_at DESC);

-- Attachments: the file lives in storage (filesystem by default), its SHA-256 is in the log
-- (event attachment.added on stream attachment/<transfer_id>); this row is the index of it,
-- written in the same transaction as the log entry.
CREATE TABLE attachments (
    id              uuid        PRIMARY KEY,
    tenant          text        NOT NULL,
    transfer_id     uuid        NOT NULL,
    document_code   text        NOT NULL,
    filename        text        NOT NULL,
    content_type    text        NOT NULL,
    size_bytes      bigint      NOT NULL CHECK (size_bytes > 0),
    sha256          text        NOT NULL,
    storage_key     text        NOT NULL,
    uploaded_by     text        NOT NULL,
    uploaded_role   text        NOT NULL,
    uploaded_at     timestamptz NOT NULL,
    sequence        bigint      NOT NULL,
    UNIQUE (transfer_id, document_code, sha256)
);
CREATE INDEX attachments_transfer ON attachments (transfer_id, uploaded_at);

GRANT SELECT, INSERT ON import_runs, attachments TO mutasi_writer;
