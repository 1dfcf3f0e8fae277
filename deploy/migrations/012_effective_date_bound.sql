-- How far ahead a TMT may lie, per government (issue 14, defect 1): a proposal, a revision
-- and a decision refuse a TMT before the decree can be issued or beyond this many days.
ALTER TABLE tenants ADD COLUMN max_effective_days integer NOT NULL DEFAULT 365
    CHECK (max_effective_days BETWEEN 1 AND 730);
