-- :runs runs with random (version 4) ids and one step each, as a database before migration 0039 holds them.
INSERT INTO workflow_runs (id, workspace_id, workflow_id, workflow_version, status, trigger, queued_at, finished_at)
SELECT gen_random_uuid(), CASE WHEN i % 2 = 0 THEN '00000000-0000-4000-8000-0000000000a1'::uuid ELSE '00000000-0000-4000-8000-0000000000a2'::uuid END,
       CASE WHEN i % 2 = 0 THEN '00000000-0000-4000-8000-0000000000f1'::uuid ELSE '00000000-0000-4000-8000-0000000000f2'::uuid END,
       1, CASE WHEN i % 1000 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END, 'WEBHOOK',
       timestamptz '2026-01-01' + i * interval '1 second', timestamptz '2026-01-01' + i * interval '1 second'
FROM generate_series(1, :runs) i;
UPDATE workflow_runs SET webhook_request_hash = md5(id::text);
INSERT INTO workflow_run_steps (id, run_id, node_id, status, attempt, started_at, finished_at, output)
SELECT gen_random_uuid(), r.id, 'set', 'SUCCEEDED', 1, r.queued_at, r.queued_at, '{"a": 1}' FROM workflow_runs r;
