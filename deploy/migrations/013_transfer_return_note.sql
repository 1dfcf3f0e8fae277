-- The transfer as its proposer sees it (issue 14, defects 6 and 10): the TMT from the proposal on
-- (it used to appear only with a revision or the decree), and the latest return note, who
-- returned it and when (BKPSDM's note used to reach the proposer only as a notification).
ALTER TABLE transfers
    ADD COLUMN self_application   boolean NOT NULL DEFAULT false,
    ADD COLUMN return_note        text,
    ADD COLUMN returned_by_role   text,
    ADD COLUMN returned_at        timestamptz;

-- Transfers proposed before: their TMT and whether the employee applied are in their
-- `transfer.submitted` entry (an application's checklist asks for the employee's own letter).
UPDATE transfers t
SET effective_date = coalesce(t.effective_date, (e.payload->>'effective_date')::date),
    self_application = coalesce((e.payload->>'self_application')::boolean, false)
FROM event_log e
WHERE e.stream = 'transfer/' || t.id AND e.event_type = 'transfer.submitted';
