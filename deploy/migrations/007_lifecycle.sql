-- The complete lifecycle (issue 5): meetings are read straight from their log streams, and
-- decrees are exported to SIASN by tenant and date of issue.

-- GET /meetings lists a tenant's `meeting.scheduled` entries (and finds `meeting.closed`).
CREATE INDEX event_log_tenant_type ON event_log (tenant, event_type, sequence);

-- `mutasi export siasn --tenant T --since D` reads a tenant's decrees in order of issue.
CREATE INDEX decrees_tenant_issued ON decrees (tenant, issued_at);
