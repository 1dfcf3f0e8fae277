-- Each decree authority numbers in its own register (issue 14, defect 4): a governor's or the
-- Minister of Home Affairs' decree no longer takes a number from the receiving government's
-- BKPSDM sequence. Existing rows keep their numbers; their register is the tenant they had.
ALTER TABLE decree_counters RENAME COLUMN tenant TO register;

ALTER TABLE decrees ADD COLUMN register text;
UPDATE decrees SET register = tenant;
ALTER TABLE decrees ALTER COLUMN register SET NOT NULL;
ALTER TABLE decrees DROP CONSTRAINT decrees_pkey;
ALTER TABLE decrees DROP CONSTRAINT decrees_tenant_year_seq_key;
ALTER TABLE decrees ADD PRIMARY KEY (register, number);
ALTER TABLE decrees ADD CONSTRAINT decrees_register_year_seq_key UNIQUE (register, year, seq);

-- A decree annulled before its TMT by a cancelling decree (SK pembatalan), numbered in the
-- same register; the transfer then ends (transfer.decree_cancelled in the log).
ALTER TABLE decrees
    ADD COLUMN cancelled_by   text,
    ADD COLUMN cancelled_seq  integer,
    ADD COLUMN cancelled_year integer,
    ADD COLUMN cancelled_at   timestamptz,
    ADD COLUMN cancel_reason  text;
ALTER TABLE decrees ADD CONSTRAINT decrees_cancelling_number_key UNIQUE (register, cancelled_by);
GRANT UPDATE (cancelled_by, cancelled_seq, cancelled_year, cancelled_at, cancel_reason)
    ON decrees TO mutasi_writer;
