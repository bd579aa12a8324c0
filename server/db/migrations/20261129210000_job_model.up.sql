-- One job model for refresh runs and exports (see docs/jobs.md): both rows
-- carry the River job working them and a heartbeat, so a run whose worker
-- died is taken up again by any instance within a minute.

-- The worker running a run writes heartbeat_at every few seconds; a RUNNING
-- run whose heartbeat is older than the timeout has lost its worker.
ALTER TABLE refresh_runs
    ADD COLUMN heartbeat_at timestamptz,
    -- How many times the run was taken up after its worker died; a run
    -- that keeps killing its workers is given up.
    ADD COLUMN takeovers int NOT NULL DEFAULT 0,
    -- Asked for a full refresh (every member recomputed), as the schedule
    -- does; kept for incremental refreshes, which will skip what did not
    -- change. Today every refresh is full.
    ADD COLUMN full_refresh boolean NOT NULL DEFAULT false;

ALTER TABLE exports
    -- The River job (river_job.id) working the export; NULL for an export
    -- written by the command line straight to a file. No foreign key: River
    -- deletes finished jobs.
    ADD COLUMN job_id bigint,
    ADD COLUMN heartbeat_at timestamptz,
    ADD COLUMN takeovers int NOT NULL DEFAULT 0,
    ADD CONSTRAINT exports_requested_by CHECK (requested_by <> ''),
    ADD CONSTRAINT exports_finished CHECK ((state IN ('SUCCEEDED', 'FAILED')) = (finished_at IS NOT NULL)) NOT VALID;

-- Running runs by heartbeat, for finding the ones whose worker died.
CREATE INDEX refresh_runs_running ON refresh_runs (heartbeat_at) WHERE state = 'RUNNING';
CREATE INDEX exports_running ON exports (heartbeat_at) WHERE state = 'RUNNING';
-- Unfinished exports, for following their River jobs.
CREATE INDEX exports_unfinished ON exports (id) WHERE state IN ('QUEUED', 'RUNNING');

-- Exports queued before this migration: link them to their River jobs, so
-- their workers recognise them. (On a new database River's tables come
-- after this migration, and there is nothing to link.)
DO $$
BEGIN
    IF to_regclass('river_job') IS NOT NULL THEN
        UPDATE exports e SET job_id = j.id
          FROM river_job j
         WHERE j.kind = 'export' AND (j.args ->> 'export_id')::bigint = e.id
           AND e.state IN ('QUEUED', 'RUNNING');
    END IF;
END $$;
