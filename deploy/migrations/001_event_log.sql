-- The append-only, hash-chained event log (SPEC §5): event store and audit trail in one.
-- Applied by `mutasi migrate` as the admin role; the application role only gets INSERT/SELECT.

-- Roles are cluster-wide, so another database on the same server may have created it.
DO $$ BEGIN
    CREATE ROLE mutasi_writer NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

CREATE SEQUENCE event_log_sequence;

CREATE TABLE event_log (
    sequence     bigint      PRIMARY KEY,
    tenant       text        NOT NULL,
    stream       text        NOT NULL,
    version      integer     NOT NULL CHECK (version >= 1),
    event_id     uuid        NOT NULL UNIQUE,
    event_type   text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    actor_id     text        NOT NULL,
    actor_role   text        NOT NULL,
    reason       text,
    payload      jsonb       NOT NULL,
    prev_hash    text        NOT NULL,
    hash         text        NOT NULL,
    -- Optimistic concurrency: two writers of the same stream version cannot both commit.
    CONSTRAINT event_log_stream_version UNIQUE (stream, version)
);
CREATE INDEX event_log_tenant_sequence ON event_log (tenant, sequence);

CREATE FUNCTION event_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'event_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER event_log_no_update_delete BEFORE UPDATE OR DELETE ON event_log
    FOR EACH ROW EXECUTE FUNCTION event_log_refuse_change();
CREATE TRIGGER event_log_no_truncate BEFORE TRUNCATE ON event_log
    FOR EACH STATEMENT EXECUTE FUNCTION event_log_refuse_change();

-- Head of each tenant's chain; its row lock serialises appends within one tenant.
CREATE TABLE chain_heads (
    tenant    text   PRIMARY KEY,
    sequence  bigint NOT NULL,
    hash      text   NOT NULL,
    length    bigint NOT NULL
);

-- Transactional outbox: written in the same transaction as the entry it carries.
CREATE TABLE outbox (
    sequence      bigint      PRIMARY KEY REFERENCES event_log (sequence),
    tenant        text        NOT NULL,
    subject       text        NOT NULL,
    published_at  timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (sequence) WHERE published_at IS NULL;

-- Signed checkpoints of each tenant's chain head (Ed25519).
CREATE TABLE checkpoints (
    tenant      text        NOT NULL,
    sequence    bigint      NOT NULL,
    length      bigint      NOT NULL,
    hash        text        NOT NULL,
    signed_at   timestamptz NOT NULL,
    key_id      text        NOT NULL,
    signature   text        NOT NULL,
    PRIMARY KEY (tenant, sequence)
);

GRANT USAGE ON SCHEMA public TO mutasi_writer;
GRANT SELECT, INSERT ON event_log TO mutasi_writer;
GRANT USAGE, SELECT ON SEQUENCE event_log_sequence TO mutasi_writer;
GRANT SELECT, INSERT, UPDATE ON chain_heads, outbox TO mutasi_writer;
GRANT SELECT, INSERT ON checkpoints TO mutasi_writer;
