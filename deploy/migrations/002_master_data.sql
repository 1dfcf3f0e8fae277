-- Governments (tenants), their units and positions: reference data maintained by BKPSDM.

CREATE TABLE tenants (
    slug                    text PRIMARY KEY,
    name                    text NOT NULL,
    kind                    text NOT NULL CHECK (kind IN ('kota', 'kabupaten', 'provinsi')),
    province                text NOT NULL,
    capital                 text NOT NULL,
    timezone                text NOT NULL DEFAULT 'Asia/Jakarta',
    head_title              text NOT NULL,
    head_inaugurated_on     date,
    election_candidate_determination_on date,
    ministerial_consent_document text,
    decree_number_format    text NOT NULL DEFAULT '800.1.3.3/{seq:04d}/BKPSDM/{year}',
    document_checklist      text[],
    sla_working_days        integer NOT NULL DEFAULT 5
);

CREATE TABLE units (
    tenant              text NOT NULL REFERENCES tenants,
    code                text NOT NULL,
    name                text NOT NULL,
    parent_code         text,
    head_position_code  text,
    PRIMARY KEY (tenant, code),
    UNIQUE (tenant, name)
);

CREATE TABLE positions (
    tenant                      text NOT NULL REFERENCES tenants,
    code                        text NOT NULL,
    name                        text NOT NULL,
    unit_code                   text NOT NULL,
    kind                        text NOT NULL,
    class                       integer,
    required_education_level    text,
    required_education_fields   text[] NOT NULL DEFAULT '{}',
    required_competencies       jsonb NOT NULL DEFAULT '{}',
    needed                      integer NOT NULL DEFAULT 1 CHECK (needed >= 0),
    PRIMARY KEY (tenant, code),
    FOREIGN KEY (tenant, unit_code) REFERENCES units (tenant, code)
);

GRANT SELECT, INSERT, UPDATE ON tenants, units, positions TO mutasi_writer;
