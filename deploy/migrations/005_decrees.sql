-- Decrees (SK): a gapless number per tenant and year, taken in the transaction that records it.

CREATE TABLE decree_counters (
    tenant  text    NOT NULL,
    year    integer NOT NULL,
    last    integer NOT NULL,
    PRIMARY KEY (tenant, year)
);

CREATE TABLE decrees (
    tenant          text    NOT NULL,
    number          text    NOT NULL,
    year            integer NOT NULL,
    seq             integer NOT NULL,
    transfer_id     uuid    NOT NULL UNIQUE,
    issued_at       timestamptz NOT NULL,
    effective_date  date    NOT NULL,
    document_sha256 text    NOT NULL,
    document        bytea   NOT NULL,
    PRIMARY KEY (tenant, number),
    UNIQUE (tenant, year, seq)
);

GRANT SELECT, INSERT, UPDATE ON decree_counters TO mutasi_writer;
GRANT SELECT, INSERT ON decrees TO mutasi_writer;
