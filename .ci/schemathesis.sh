#!/usr/bin/env bash
# The API against its own description (issue 19): schemathesis (pinned, from PyPI, in a venv
# under target/) generates requests from /api/openapi.json and runs every check on the
# answers of `woo serve` over the bundled fixtures (read-only: no admin token, so the admin
# operations are left out). Any finding fails the run.
#
# Usage: .ci/schemathesis.sh            (SCHEMATHESIS_EXAMPLES=N sets examples per operation)
set -euo pipefail
cd "$(dirname "$0")/.."

schemathesis_version="4.32.5"
examples="${SCHEMATHESIS_EXAMPLES:-200}"
# CPython 3.11 before 3.11.8 fails inside Hypothesis on this description ("AST constructor
# recursion depth mismatch", a CPython bug fixed in 3.12): take a newer python3 when there is one.
python=""
pyenv_root="$(pyenv root 2>/dev/null || echo /nonexistent)"
for candidate in python3.13 python3.12 "$pyenv_root"/versions/3.13*/bin/python3 \
  "$pyenv_root"/versions/3.12*/bin/python3 python3; do
  if "$candidate" -c 'import sys' >/dev/null 2>&1; then
    python="$candidate"
    break
  fi
done
[ -n "$python" ] || { echo "schemathesis: no python3"; exit 1; }
python_version="$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
venv="target/schemathesis-venv-$python_version"

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "version $schemathesis_version\$"; then
  echo "== schemathesis: installing $schemathesis_version into $venv (Python $python_version)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

echo "== schemathesis: building woo, indexing fixtures/"
cargo build --quiet --bin woo
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
target/debug/woo index --index "$work/index" --no-ocr fixtures > "$work/index.log" 2>&1 \
  || { cat "$work/index.log"; exit 1; }

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
# No rate limit: schemathesis sends everything from one address.
target/debug/woo serve --index "$work/index" --addr "127.0.0.1:$port" --rate-limit 0 \
  > "$work/serve.log" 2>&1 &
server_pid=$!
python3 - "$base/healthz" <<'EOF'
import sys, time, urllib.request
deadline = time.time() + 60
while True:
    try:
        urllib.request.urlopen(sys.argv[1], timeout=2).read()
        break
    except Exception:
        if time.time() > deadline:
            sys.exit("woo serve did not answer /healthz within 60 s")
        time.sleep(0.2)
EOF

echo "== schemathesis: every check, $examples examples per operation, against $base"
status=0
"$venv/bin/schemathesis" --no-color --config-file .ci/schemathesis.toml run "$base/api/openapi.json" \
  --url "$base" \
  --checks all \
  --max-examples "$examples" \
  --seed "${SCHEMATHESIS_SEED:-19}" \
  --workers 2 \
  --exclude-path-regex '^/api/admin/' \
  --request-timeout 30 \
  --suppress-health-check too_slow,filter_too_much \
  --generation-database none \
  || status=$?
if [ "$status" -ne 0 ]; then
  echo "schemathesis: findings (exit $status); the server's log:"
  tail -n 40 "$work/serve.log"
fi
exit "$status"
