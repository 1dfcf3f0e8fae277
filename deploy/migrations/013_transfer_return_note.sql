-- The transfer as its proposer sees it (issue 14, defect 6): the TMT from the proposal on
-- (it used to appear only with a revision or the decree), and the latest return note, who
-- returned it and when (BKPSDM's note used to reach the proposer only as a notification).
ALTER TABLE transfers
    ADD COLUMN return_note        text,
    ADD COLUMN returned_by_role   text,
    ADD COLUMN returned_at        timestamptz;

-- Transfers proposed before: their TMT is in their `transfer.submitted` entry.
UPDATE transfers t SET effective_date = (e.payload->>'effective_date')::date
FROM event_log e
WHERE t.effective_date IS NULL AND e.stream = 'transfer/' || t.id
  AND e.event_type = 'transfer.submitted' AND e.payload ? 'effective_date';
