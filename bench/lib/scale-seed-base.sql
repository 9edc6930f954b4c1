-- Two workspaces (plan WORKSPACE), a user and a workflow each: the owners of the seeded runs.
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
