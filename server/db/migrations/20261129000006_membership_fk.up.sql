-- A refresh inserts a segment's members in one statement while holding the
-- segment's row lock, so a per-row check that the segment exists is pure
-- cost (it was most of the time of a first refresh). Deleting a segment
-- removes its members explicitly (segment.Manager.Delete). The check that
-- each member is a customer stays: erasure relies on its cascade.
ALTER TABLE segment_customers DROP CONSTRAINT segment_customers_segment_id_fkey;
