-- Notification channels (issue 6): contacts and preferences, per-reader read marks, e-mail and
-- webhook deliveries (an outbox the notification service's delivery loop works off), webhook
-- subscriptions with rotating secrets.
--
-- Recipient addresses: 'nip:<nip>' (an employee), 'user:<sub>' (a token subject without a
-- NIP), 'role:<tenant>:<role>' (everyone holding that role in that government, e.g. BKPSDM).

ALTER TABLE notifications
    ADD COLUMN recipient_kind text,
    ADD COLUMN body_html      text;

-- Who is reachable where, and which channels they want. A missing row means: in-app on, and
-- e-mail to the address in the employee's record (employees.data->>'email') if it has one.
CREATE TABLE notification_contacts (
    tenant          text        NOT NULL,
    recipient       text        NOT NULL,
    email           text,
    in_app_enabled  boolean     NOT NULL DEFAULT true,
    email_enabled   boolean     NOT NULL DEFAULT true,
    updated_by      text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, recipient)
);

-- A role-addressed notice is shared by everyone with the role; each reader marks it read.
CREATE TABLE notification_reads (
    notification_id bigint      NOT NULL REFERENCES notifications (id),
    reader          text        NOT NULL,
    read_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notification_id, reader)
);

CREATE TABLE webhook_subscriptions (
    id                      uuid        PRIMARY KEY,
    tenant                  text        NOT NULL,
    url                     text        NOT NULL,
    event_types             text[]      NOT NULL,
    description             text,
    active                  boolean     NOT NULL DEFAULT true,
    max_attempts            integer     CHECK (max_attempts BETWEEN 1 AND 50),
    -- HMAC keys must be usable, so they are stored, never returned after create/rotate.
    secret                  text        NOT NULL,
    previous_secret         text,
    previous_secret_until   timestamptz,
    rotation_key            text,
    created_by              text        NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscriptions_tenant ON webhook_subscriptions (tenant, created_at);

-- One row per (event, channel, target): the e-mail of one recipient, or the POST to one
-- subscription. Created in the consumer's transaction; the delivery loop claims due rows
-- with a lease (next_attempt_at moved forward), so a crash mid-send is retried after it.
CREATE TABLE notification_deliveries (
    id              bigserial   PRIMARY KEY,
    tenant          text        NOT NULL,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    channel         text        NOT NULL CHECK (channel IN ('email', 'webhook')),
    target          text        NOT NULL,
    notification_id bigint      REFERENCES notifications (id),
    subscription_id uuid        REFERENCES webhook_subscriptions (id),
    email_to        text,
    body            text,  -- a webhook's JSON body, exactly as signed and sent
    status          text        NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'sent', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    max_attempts    integer     NOT NULL,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    last_status     integer,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, channel, target)
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX notification_deliveries_subscription ON notification_deliveries
    (subscription_id, status, id);

GRANT SELECT, INSERT, UPDATE ON notification_contacts, notification_reads,
    webhook_subscriptions, notification_deliveries TO mutasi_writer;
GRANT USAGE ON SEQUENCE notification_deliveries_id_seq TO mutasi_writer;
