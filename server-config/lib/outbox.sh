# Sourced by server-config/check-payara-server.sh and bench/lib/common.sh: the emails a server in development or
# outbox mode wrote to its outbox folder (flowline.mail.outbox-dir). Needs python3.

# outbox_verification_token DIR EMAIL: the token of the verification email to EMAIL in DIR (empty if none yet)
outbox_verification_token() {
    python3 - "$1" "$2" <<'PY'
import email, email.policy, pathlib, re, sys
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.eml")):
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    if message["To"] == sys.argv[2]:
        found = re.search(r'"token": "([^"]+)"', message.get_content())
        if found:
            print(found.group(1))
PY
}
