-- Issue 15, finding 5: an auditor's witness (`mutasi audit watch`) reads the log without the
-- application's write grants. The DBA gives each auditor a login in this role:
--   CREATE ROLE saksi LOGIN PASSWORD '…' IN ROLE mutasi_auditor_read;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mutasi_auditor_read') THEN
        CREATE ROLE mutasi_auditor_read NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO mutasi_auditor_read;
GRANT SELECT ON event_log, chain_heads, checkpoints, tenants TO mutasi_auditor_read;
