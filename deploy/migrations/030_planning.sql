-- Objective placement (issue 13): assessment results, unit locations, each government's
-- planning settings, and the transfer plans. Every change is an event of the log; these are
-- its read models (mutasi.planning.projections), rebuilt by `mutasi projections rebuild`.

-- Assessment-centre results (employee.assessed). The employee's current levels are the
-- latest assessment's, copied into employees.data by the same projection.
CREATE TABLE assessments (
    id              uuid        PRIMARY KEY,
    tenant          text        NOT NULL,
    nip             text        NOT NULL,
    assessed_on     date        NOT NULL,
    institution     text        NOT NULL,
    method          text        NOT NULL,
    assessor        text,
    levels          jsonb       NOT NULL,
    scores          jsonb       NOT NULL DEFAULT '{}',
    sequence        bigint      NOT NULL
);
CREATE INDEX assessments_employee ON assessments (tenant, nip, assessed_on DESC, sequence DESC);

-- Where a unit's office is: its regency/city and coordinates (unit.located).
ALTER TABLE units ADD COLUMN city text;
ALTER TABLE units ADD COLUMN latitude double precision;
ALTER TABLE units ADD COLUMN longitude double precision;

-- Profile matching of one government (planning.settings_changed); absent: the documented
-- defaults. The incentive policy is part of the government's configuration (tenant.configured).
CREATE TABLE planning_settings (
    tenant          text        PRIMARY KEY,
    profile         jsonb       NOT NULL DEFAULT '{}',
    sequence        bigint      NOT NULL
);

-- Transfer plans (rencana mutasi): one row per plan, one per line of its current solution.
CREATE TABLE plans (
    id              uuid        PRIMARY KEY,
    tenant          text        NOT NULL,
    title           text        NOT NULL,
    status          text        NOT NULL,
    scope           jsonb       NOT NULL,
    objective       jsonb       NOT NULL DEFAULT '{}',
    baseline        jsonb       NOT NULL DEFAULT '{}',
    revision        integer     NOT NULL DEFAULT 0,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    meeting_id      uuid,
    last_sequence   bigint      NOT NULL
);
CREATE INDEX plans_tenant ON plans (tenant, created_at DESC);

CREATE TABLE plan_lines (
    plan_id                 uuid        NOT NULL REFERENCES plans ON DELETE CASCADE,
    line                    integer     NOT NULL,
    employee_nip            text        NOT NULL,
    employee_name           text        NOT NULL,
    origin_position_code    text,
    origin_unit_code        text,
    target_position_code    text        NOT NULL,
    target_unit_code        text        NOT NULL,
    value                   double precision NOT NULL,
    gain                    double precision NOT NULL,
    components              jsonb       NOT NULL,
    locked                  boolean     NOT NULL DEFAULT false,
    transfer_id             uuid,
    PRIMARY KEY (plan_id, line)
);
CREATE INDEX plan_lines_transfer ON plan_lines (transfer_id);

ALTER TABLE import_runs DROP CONSTRAINT import_runs_kind_check;
ALTER TABLE import_runs ADD CONSTRAINT import_runs_kind_check
    CHECK (kind IN ('employees', 'positions', 'units', 'assessments'));

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE
    ON assessments, planning_settings, plans, plan_lines TO mutasi_writer;
