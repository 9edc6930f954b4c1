-- Seeds the claim comparison of bench/noisy-tenant.sh (psql -v backlog=20000 -v others=50 -v each=3): a noisy
-- workspace with :backlog QUEUED runs of one workflow (concurrencyLimit 100), all due and older than every other
-- run, and :others quiet workspaces with :each due QUEUED runs each (one workflow each, concurrencyLimit 100).
-- Rows only (no users, no quota units): what the claim reads. Run ids are random; workspace names start "claim ".
BEGIN;
CREATE TEMP TABLE seeded_spaces ON COMMIT DROP AS
SELECT gen_random_uuid() AS ws, gen_random_uuid() AS wf, i AS n FROM generate_series(0, :others) i;
INSERT INTO workspaces (id, name, plan_tier, created_at, updated_at)
SELECT ws, CASE WHEN n = 0 THEN 'claim noisy' ELSE 'claim quiet ' || n END, 'WORKSPACE', now(), now() FROM seeded_spaces;
INSERT INTO workflows (id, workspace_id, name, trigger_type, current_version, concurrency_limit, created_at, updated_at)
SELECT wf, ws, 'claim bench', 'trigger.manual', 1, 100, now(), now() FROM seeded_spaces;
INSERT INTO workflow_versions (workflow_id, number, definition, created_at)
SELECT wf, 1, '{}', now() FROM seeded_spaces;
-- the noisy backlog: due one hour ago, a millisecond apart
INSERT INTO workflow_runs (id, workspace_id, workflow_id, workflow_version, status, trigger, queued_at, next_attempt_at)
SELECT gen_random_uuid(), ws, wf, 1, 'QUEUED', 'MANUAL', now() - interval '1 hour' + i * interval '1 millisecond',
       now() - interval '1 hour' + i * interval '1 millisecond'
FROM seeded_spaces, generate_series(1, :backlog) i WHERE n = 0;
-- the quiet workspaces: due a minute ago, newer than the whole backlog
INSERT INTO workflow_runs (id, workspace_id, workflow_id, workflow_version, status, trigger, queued_at, next_attempt_at)
SELECT gen_random_uuid(), ws, wf, 1, 'QUEUED', 'MANUAL', now() - interval '1 minute' + i * interval '1 millisecond',
       now() - interval '1 minute' + i * interval '1 millisecond'
FROM seeded_spaces, generate_series(1, :each) i WHERE n > 0;
COMMIT;
VACUUM ANALYZE workflow_runs;
