-- Counts of combined segment sets (union/intersection, with filters), kept
-- because counting a million-member set costs a second while membership
-- changes only on refresh. A row is valid while its stamp matches the
-- current one (latest refresh of its segments and store data change).
CREATE TABLE segment_set_counts (
    key            text PRIMARY KEY,
    stamp          text NOT NULL,
    customer_count bigint NOT NULL,
    computed_at    timestamptz NOT NULL DEFAULT now()
);
