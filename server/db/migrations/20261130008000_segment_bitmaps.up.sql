-- Each segment's membership kept also as compressed bitmaps of customer
-- ids (Roaring, 64-bit, portable serialization), one per website the
-- members had when the refresh counted them (segment_customers.website_id),
-- so combined counts and overlaps are set operations in memory instead of
-- a pass over the membership (package bitmap).
--
-- Written in the transaction that changes the membership (a refresh, an
-- erasure), together with segments.bitmap_version, a number drawn from
-- segment_bitmap_versions and never reused: an instance keeps the bitmaps
-- it loaded with their version, and before answering reads the versions
-- of the segments it needs, reloading those that moved. NULL: no bitmaps
-- yet (a segment not refreshed since this migration); such a segment is
-- counted in SQL, as before. A website without members has no row.
--
-- segments.bitmap_refresh_id is the refresh (segment_refreshes.id) whose
-- membership the bitmaps hold: a refresh by a binary that knows nothing
-- of bitmaps (an instance of the previous version during a rolling
-- upgrade) records a newer one, and the bitmaps are not used, nor
-- updated, but built again by the next refresh that knows them.
--
-- Each statement runs on its own (bun:split) and can run again.
ALTER TABLE segments ADD COLUMN IF NOT EXISTS bitmap_version bigint,
    ADD COLUMN IF NOT EXISTS bitmap_refresh_id bigint;

--bun:split

CREATE SEQUENCE IF NOT EXISTS segment_bitmap_versions;

--bun:split

CREATE TABLE IF NOT EXISTS segment_bitmaps (
    segment_id bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    website_id bigint NOT NULL,
    bitmap     bytea NOT NULL,
    PRIMARY KEY (segment_id, website_id)
);

--bun:split

-- Roaring's serialization is already compressed: storing it out of line
-- without compression saves pglz's futile attempt on every write and every
-- read's decompression.
ALTER TABLE segment_bitmaps ALTER COLUMN bitmap SET STORAGE EXTERNAL;
