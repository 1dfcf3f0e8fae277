-- The trace of the request that proposed (W3C traceparent/tracestate), kept with its intake
-- row so that the starter's StartWorkflow joins the proposal's trace (mutasi/telemetry).
ALTER TABLE transfer_intake ADD COLUMN traceparent text, ADD COLUMN tracestate text;
