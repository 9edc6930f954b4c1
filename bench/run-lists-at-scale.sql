-- Seeds two workspaces with :runs runs each (about 1 in 1000 FAILED, the rest SUCCEEDED, one per second of queue
-- time), then explains the list queries of WorkflowRepository.listRuns as EclipseLink sends them.
\timing on
BEGIN;
INSERT INTO users (id, email, name, password_hash, created_at, updated_at)
VALUES ('00000000-0000-4000-8000-0000000000b1', 'bench-' || gen_random_uuid() || '@example.com', 'Bench', 'x', now(), now());
INSERT INTO workspaces (id, name, plan_tier, created_at, updated_at)
VALUES ('00000000-0000-4000-8000-0000000000a1', 'Bench A', 'WORKSPACE', now(), now()),
       ('00000000-0000-4000-8000-0000000000a2', 'Bench B', 'WORKSPACE', now(), now());
INSERT INTO workflows (id, workspace_id, name, trigger_type, current_version, created_at, updated_at)
VALUES ('00000000-0000-4000-8000-0000000000f1', '00000000-0000-4000-8000-0000000000a1', 'Bench', 'trigger.manual', 1, now(), now()),
       ('00000000-0000-4000-8000-0000000000f2', '00000000-0000-4000-8000-0000000000a2', 'Bench', 'trigger.manual', 1, now(), now());
INSERT INTO workflow_versions (workflow_id, number, definition, created_at)
VALUES ('00000000-0000-4000-8000-0000000000f1', 1, '{}', now()), ('00000000-0000-4000-8000-0000000000f2', 1, '{}', now());
INSERT INTO workflow_runs (id, workspace_id, workflow_id, workflow_version, status, trigger, queued_at, finished_at)
SELECT gen_random_uuid(), w.ws, w.wf, 1, CASE WHEN i % 1000 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END, 'MANUAL',
       timestamptz '2026-01-01' + i * interval '1 second', timestamptz '2026-01-01' + i * interval '1 second'
FROM generate_series(1, :runs) i,
     (VALUES ('00000000-0000-4000-8000-0000000000a1'::uuid, '00000000-0000-4000-8000-0000000000f1'::uuid),
             ('00000000-0000-4000-8000-0000000000a2'::uuid, '00000000-0000-4000-8000-0000000000f2'::uuid)) AS w(ws, wf);
COMMIT;
ANALYZE workflow_runs;

\echo '--- newest page of a workspace'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT id, queued_at FROM workflow_runs WHERE workspace_id = '00000000-0000-4000-8000-0000000000a1'
ORDER BY queued_at DESC, id DESC LIMIT 51;

\echo '--- a deep page (keyset cursor half-way down)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT id, queued_at FROM workflow_runs WHERE workspace_id = '00000000-0000-4000-8000-0000000000a1'
  AND queued_at <= timestamptz '2026-01-01' + (:runs / 2) * interval '1 second'
  AND (queued_at < timestamptz '2026-01-01' + (:runs / 2) * interval '1 second'
       OR (queued_at = timestamptz '2026-01-01' + (:runs / 2) * interval '1 second' AND id < 'ffffffff-ffff-4fff-bfff-ffffffffffff'))
ORDER BY queued_at DESC, id DESC LIMIT 51;

\echo '--- a rare status (FAILED is 1 in 1000)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT id, queued_at FROM workflow_runs WHERE workspace_id = '00000000-0000-4000-8000-0000000000a1' AND status IN ('FAILED')
ORDER BY queued_at DESC, id DESC LIMIT 51;

\echo '--- one workflow, a time window'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT id, queued_at FROM workflow_runs WHERE workspace_id = '00000000-0000-4000-8000-0000000000a1'
  AND workflow_id = '00000000-0000-4000-8000-0000000000f1'
  AND queued_at >= timestamptz '2026-01-03' AND queued_at < timestamptz '2026-01-04'
ORDER BY queued_at DESC, id DESC LIMIT 51;
