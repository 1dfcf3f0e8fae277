-- The signed checkpoint up to which a verifier (the approval service's /audit/verify) last
-- verified each tenant's chain. Its next verification reads only the entries after it
-- (O(new entries)); a full verification is on request. A row here trusts nothing by itself:
-- the checkpoint's signature is checked again, and its entry must still carry its hash.
CREATE TABLE audit_trusted_checkpoints (
    verifier    text        NOT NULL,
    tenant      text        NOT NULL,
    sequence    bigint      NOT NULL,
    length      bigint      NOT NULL,
    hash        text        NOT NULL,
    signed_at   timestamptz NOT NULL,
    key_id      text        NOT NULL,
    signature   text        NOT NULL,
    verified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (verifier, tenant)
);

GRANT SELECT, INSERT, UPDATE ON audit_trusted_checkpoints TO mutasi_writer;
