-- One day (:day, UTC) of :runs finished runs with time-ordered ids (as RunIds makes them) and one step each, loaded
-- into plain tables and then attached as the day's partitions (what create_run_partition makes): the indexes are
-- built once, in bulk, at the attach. Workspaces A and B alternate; 1 run in 1000 FAILED.
\set runs_table 'workflow_runs_' :suffix
\set steps_table 'workflow_run_steps_' :suffix
CREATE TABLE :runs_table (LIKE workflow_runs INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE TABLE :steps_table (LIKE workflow_run_steps INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
INSERT INTO :runs_table (id, workspace_id, workflow_id, workflow_version, status, trigger, queued_at, started_at, finished_at,
                         attempt)
SELECT (substr(replace(run_id_floor(t)::text, '-', ''), 1, 20) || lpad(to_hex(i), 12, '0'))::uuid,
       CASE WHEN i % 2 = 0 THEN '00000000-0000-4000-8000-0000000000a1'::uuid ELSE '00000000-0000-4000-8000-0000000000a2'::uuid END,
       CASE WHEN i % 2 = 0 THEN '00000000-0000-4000-8000-0000000000f1'::uuid ELSE '00000000-0000-4000-8000-0000000000f2'::uuid END,
       1, CASE WHEN i % 1000 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END, 'MANUAL', t, t, t, 1
FROM (SELECT i, timestamptz :'day' + (i - 1) * (interval '86400 seconds' / :runs) AS t
      FROM generate_series(1, :runs) i) g;
INSERT INTO :steps_table (id, run_id, node_id, status, attempt, started_at, finished_at, output)
SELECT gen_random_uuid(), r.id, 'set', 'SUCCEEDED', 1, r.queued_at, r.queued_at, '{"a": 1}' FROM :runs_table r;
ALTER TABLE workflow_runs ATTACH PARTITION :runs_table
    FOR VALUES FROM (run_id_floor(timestamptz :'day')) TO (run_id_floor(timestamptz :'day' + interval '1 day'));
ALTER TABLE workflow_run_steps ATTACH PARTITION :steps_table
    FOR VALUES FROM (run_id_floor(timestamptz :'day')) TO (run_id_floor(timestamptz :'day' + interval '1 day'));
ANALYZE :runs_table;
ANALYZE :steps_table;
