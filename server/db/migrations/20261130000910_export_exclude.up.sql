-- An export may leave out the members of some segments (ExportInput
-- excludeSegmentIds), as the drill-down it copies does.
ALTER TABLE exports
    ADD COLUMN exclude_segment_ids bigint[] NOT NULL DEFAULT '{}';
