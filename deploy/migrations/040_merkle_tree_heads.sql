-- Issue 15, finding 7: each checkpoint also signs the Merkle tree head (RFC 6962) of the
-- tenant's entries 1..length, so one entry can be proven in the log with a few hashes.
ALTER TABLE checkpoints ADD COLUMN root text, ADD COLUMN root_signature text;

-- The right edge of each tenant's tree as of the last checkpoint (at most log2 n subtree
-- roots): the next root costs only the entries since (mutasi.log.tree_heads).
CREATE TABLE merkle_frontiers (
    tenant      text    PRIMARY KEY,
    size        bigint  NOT NULL,
    sequence    bigint  NOT NULL,
    nodes       jsonb   NOT NULL
);

GRANT SELECT, INSERT, UPDATE ON merkle_frontiers TO mutasi_writer;
