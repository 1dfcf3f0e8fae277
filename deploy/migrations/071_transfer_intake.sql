-- Durable intake of proposals (services/proposal/intake.py): POST /transfers answers 202 once
-- its row is committed here; the proposal service's starter loop starts the workflow
-- (id transfer-<id>, which Temporal refuses to start twice) and marks the row started.
CREATE TABLE transfer_intake (
    id          uuid        PRIMARY KEY,             -- the transfer's id
    tenant      text        NOT NULL,
    input       jsonb       NOT NULL,                -- the workflow's TransferInput
    accepted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    started_at  timestamptz,
    attempts    integer     NOT NULL DEFAULT 0,
    last_error  text
);
CREATE INDEX transfer_intake_pending ON transfer_intake (accepted_at) WHERE started_at IS NULL;

GRANT SELECT, INSERT, UPDATE ON transfer_intake TO mutasi_writer;
