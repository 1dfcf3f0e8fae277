-- Operations (issue 16): trace context carried with queued work, dead letters an operator can
-- redrive, and a record of chain verifications for /metrics.

-- W3C trace context of the append that wrote the entry (not part of the hashed entry): the
-- relay puts it on the CloudEvent, so the trace continues on NATS.
ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;
-- … and of the consumer that queued a delivery, so the e-mail or webhook joins that trace.
ALTER TABLE notification_deliveries ADD COLUMN traceparent text, ADD COLUMN tracestate text;
-- /metrics counts dead deliveries often; the table mostly holds sent ones.
CREATE INDEX notification_deliveries_dead ON notification_deliveries (tenant, channel)
    WHERE status = 'dead';

-- Consumer dead letters belong to the government named in their subject
-- (mutasi.<tenant>.…), so its BKPSDM can see and redrive them; redriven ones are kept.
ALTER TABLE dead_letters
    ADD COLUMN tenant        text,
    ADD COLUMN redriven_at   timestamptz,
    ADD COLUMN redriven_by   text,
    ADD COLUMN redrive_error text;
UPDATE dead_letters SET tenant = split_part(subject, '.', 2) WHERE subject LIKE 'mutasi.%.%';
CREATE INDEX dead_letters_open ON dead_letters (tenant, id) WHERE redriven_at IS NULL;
GRANT UPDATE ON dead_letters TO mutasi_writer;

-- Every verification of a chain (API, CLI, scheduled job): its time and outcome.
CREATE TABLE chain_verifications (
    id           bigserial   PRIMARY KEY,
    tenant       text        NOT NULL,
    verified_at  timestamptz NOT NULL DEFAULT now(),
    ok           boolean     NOT NULL,
    entries      bigint      NOT NULL,
    verified_by  text        NOT NULL
);
CREATE INDEX chain_verifications_latest ON chain_verifications (tenant, verified_at DESC);
GRANT SELECT, INSERT ON chain_verifications TO mutasi_writer;
GRANT USAGE ON SEQUENCE chain_verifications_id_seq TO mutasi_writer;
