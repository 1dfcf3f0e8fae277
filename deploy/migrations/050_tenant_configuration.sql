-- Tenant configuration (issue 16): `tenants` becomes the projection of each government's
-- `tenant.registered` / `tenant.configured` events (mutasi.domain.tenant_config). The columns
-- it already had keep their meaning; these hold the rest of the configuration.
ALTER TABLE tenants
    ADD COLUMN ppk                  jsonb,   -- {"name", "title", "nip"}: the approving official
    ADD COLUMN bkpsdm_head          jsonb,   -- {"name", "title", "nip"}
    ADD COLUMN extra_holidays       date[]  NOT NULL DEFAULT '{}',
    ADD COLUMN incentive_policy     jsonb   NOT NULL DEFAULT '{}',
    ADD COLUMN public_page          boolean NOT NULL DEFAULT true,
    -- The log entry the row was last projected from (NULL: inserted before issue 16).
    ADD COLUMN configured_sequence  bigint;
