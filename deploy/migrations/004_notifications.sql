-- Notification service: in-app inbox, with exactly one row per (event, recipient, channel).

CREATE TABLE notifications (
    id          bigserial PRIMARY KEY,
    tenant      text        NOT NULL,
    event_id    uuid        NOT NULL,
    event_type  text        NOT NULL,
    recipient   text        NOT NULL,
    channel     text        NOT NULL,
    subject     text        NOT NULL,
    body        text        NOT NULL,
    transfer_id uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz,
    UNIQUE (event_id, recipient, channel)
);
CREATE INDEX notifications_recipient ON notifications (tenant, recipient, id);

-- Consumers remember what they processed, in the same transaction as the effect.
CREATE TABLE processed_events (
    consumer    text NOT NULL,
    event_id    uuid NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

GRANT SELECT, INSERT, UPDATE ON notifications, processed_events TO mutasi_writer;
GRANT USAGE ON SEQUENCE notifications_id_seq TO mutasi_writer;

-- Messages a consumer could not process (malformed, unknown): kept for inspection and redrive.
CREATE TABLE dead_letters (
    id          bigserial PRIMARY KEY,
    consumer    text        NOT NULL,
    subject     text        NOT NULL,
    stream_seq  bigint      NOT NULL,
    body        bytea       NOT NULL,
    error       text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (consumer, stream_seq)
);
GRANT SELECT, INSERT ON dead_letters TO mutasi_writer;
GRANT USAGE ON SEQUENCE dead_letters_id_seq TO mutasi_writer;
