-- Until now a transfer taking effect moved the employee's columns but not `data`, the record
-- the rules read: a moved employee still looked, to R1 and R3, as if in the old post.
-- Bring `data` in line with the columns (a `mutasi projections rebuild` gives the same).
UPDATE employees
SET data = data || jsonb_build_object('position_code', position_code, 'unit_code', unit_code,
                                      'position_since', position_since)
WHERE data->>'position_code' IS DISTINCT FROM position_code
   OR data->>'unit_code' IS DISTINCT FROM unit_code
   OR data->>'position_since' IS DISTINCT FROM position_since::text;
