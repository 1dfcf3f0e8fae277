"""The append-only, hash-chained log: event store, audit trail, outbox and projections."""
