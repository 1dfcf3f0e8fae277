-- What "waiting for me" (GET /tasks, approval service) reads without asking any workflow:
-- since when the transfer is in its status (a human step's deadline counts from there), the
-- deadline the workflow recorded with a reminder or escalation, and whether the check left
-- soft rules without a written justification (then the proposer, not BKPSDM, is awaited).
-- Kept by mutasi/log/projections.py; `mutasi projections rebuild` gives the same values.
ALTER TABLE transfers
    ADD COLUMN status_since timestamptz,
    ADD COLUMN due_at timestamptz,
    ADD COLUMN awaiting_justification boolean NOT NULL DEFAULT false;

-- Transfers already under way: the same values, from their log.
UPDATE transfers t
SET status_since = s.at
FROM (
    SELECT stream, max(occurred_at) AS at FROM event_log
    WHERE event_type IN ('transfer.submitted', 'transfer.checked', 'transfer.returned',
        'transfer.revised', 'transfer.verified', 'transfer.placed_on_agenda',
        'transfer.recommended', 'transfer.not_recommended', 'transfer.deferred',
        'transfer.consent_given', 'transfer.pertek_given', 'transfer.approved',
        'transfer.rejected', 'transfer.withdrawn', 'transfer.decree_issued',
        'transfer.notified', 'transfer.effective', 'transfer.completed')
    GROUP BY stream
) s
WHERE s.stream = 'transfer/' || t.id;

UPDATE transfers t
SET awaiting_justification = EXISTS (
    SELECT 1 FROM jsonb_array_elements(c.payload->'warnings') w
    WHERE NOT (w->>'justified')::boolean)
FROM (
    SELECT DISTINCT ON (stream) stream, payload FROM event_log
    WHERE event_type = 'transfer.checked' ORDER BY stream, sequence DESC
) c
WHERE c.stream = 'transfer/' || t.id AND t.status = 'checked';

UPDATE transfers t
SET due_at = (d.payload->>'due_at')::timestamptz
FROM (
    SELECT DISTINCT ON (stream) stream, payload, occurred_at FROM event_log
    WHERE event_type IN ('transfer.reminder_sent', 'transfer.escalated')
    ORDER BY stream, sequence DESC
) d
WHERE d.stream = 'transfer/' || t.id AND d.occurred_at >= t.status_since;

