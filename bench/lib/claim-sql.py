#!/usr/bin/env python3
"""Prints JpaRunQueue.CLAIM (from the Java source on stdin) as a PostgreSQL PREPARE of the batch claim.

    git show REV:src/main/java/dev/flowline/runs/jpa/JpaRunQueue.java | bench/lib/claim-sql.py NAME

The text block is dedented, the claim's formatting applied as JpaRunQueue.claim does for a batch (%1$s empty,
%2$s SKIP LOCKED) and the JPA parameters ?1..?5 become $1..$5: now, owner, lease end, limit, takeover cap. Since
migration 0039 the claim also has {floor}, the lowest id a QUEUED or RUNNING run can have (RunQueueFloor writes it in
as a literal): it is written in as the SQL expression FLOOR (second argument; default the lowest uuid, which prunes no
partition).
"""
import re
import sys
import textwrap

source = sys.stdin.read()
match = re.search(r'static final String CLAIM = """\n(.*?)""";', source, re.S)
if not match:
    sys.exit("no CLAIM text block in the source")
sql = textwrap.dedent(match.group(1)).replace("%1$s", "").replace("%2$s", "SKIP LOCKED")
floor = sys.argv[2] if len(sys.argv) > 2 else "'00000000-0000-0000-0000-000000000000'::uuid"
sql = sql.replace("{floor}", f"({floor})")
sql = re.sub(r"\?(\d)", r"$\1", sql)
print(f"PREPARE {sys.argv[1]}(timestamptz, text, timestamptz, integer, integer) AS\n{sql};")
