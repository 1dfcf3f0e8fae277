-- Read models: projections of event_log, rebuilt from it by `mutasi projections rebuild`.

CREATE TABLE employees (
    tenant          text NOT NULL,
    nip             text NOT NULL,
    name            text NOT NULL,
    data            jsonb NOT NULL,
    position_code   text,
    unit_code       text,
    position_since  date,
    last_sequence   bigint NOT NULL,
    PRIMARY KEY (tenant, nip)
);
CREATE INDEX employees_position ON employees (tenant, position_code);

CREATE TABLE position_holdings (
    tenant          text NOT NULL,
    nip             text NOT NULL,
    position_code   text NOT NULL,
    unit_code       text NOT NULL,
    start_date      date NOT NULL,
    end_date        date,
    source_sequence bigint NOT NULL,
    PRIMARY KEY (tenant, nip, start_date, position_code)
);

CREATE TABLE transfers (
    id                      uuid PRIMARY KEY,
    tenant                  text NOT NULL,
    target_tenant           text NOT NULL,
    employee_nip            text NOT NULL,
    employee_name           text NOT NULL,
    kind                    text NOT NULL,
    origin_position_code    text,
    origin_unit_code        text,
    target_position_code    text NOT NULL,
    target_unit_code        text NOT NULL,
    status                  text NOT NULL,
    proposer_id             text NOT NULL,
    proposer_role           text NOT NULL,
    decree_number           text,
    effective_date          date,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    last_sequence           bigint NOT NULL
);
CREATE INDEX transfers_tenant_status ON transfers (tenant, status);
CREATE INDEX transfers_target_tenant ON transfers (target_tenant);
CREATE INDEX transfers_employee ON transfers (tenant, employee_nip);

-- Headcount per position is derived, so it can never drift from the employees it counts.
CREATE VIEW position_filled AS
    SELECT p.tenant, p.code AS position_code, p.unit_code, p.needed,
           count(e.nip)::integer AS filled
    FROM positions p
    LEFT JOIN employees e ON e.tenant = p.tenant AND e.position_code = p.code
    GROUP BY p.tenant, p.code, p.unit_code, p.needed;

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON employees, position_holdings, transfers
    TO mutasi_writer;
GRANT SELECT ON position_filled TO mutasi_writer;
