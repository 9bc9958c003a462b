#!/usr/bin/env bash
# Proves, with plain docker commands, that
#   naive   2.0.0 (migration 003 renames notes.body)            -> rolling back to 1.4.0 breaks
#   expand  2.0.0 with expand/migrations/003 (instead)          -> 1.4.0 works, no note lost
#   repair  naive 003 already ran; 2.0.0 + migrations/004 of the scenario's solution -> 1.4.0 works, no note lost
# Each case: fresh database, 1.4.0 migrates and writes notes, 2.0.0 migrates and writes/edits
# notes, then 1.4.0 runs again (the rollback) and must serve every note and accept writes.
#
# Needs the images breakfix/python:3.11 and breakfix/postgres:15 (`breakfix images`).
# Everything it creates is labelled breakfix.session=$BREAKFIX_SESSION and removed at the end.
#   usage: fixes/rollback-schema-change/prove.sh [naive|expand|repair]...   (default: all three)
set -euo pipefail

LAB="$(cd "$(dirname "$0")/../.." && pwd)"
FIX="$LAB/fixes/rollback-schema-change"
SESSION="${BREAKFIX_SESSION:-notes-api-prove}"
P="bf-$SESSION-rollback"
LABEL=(--label "breakfix.session=$SESSION")
WORK="$(mktemp -d)"
PW="$LAB/secrets/db_password.txt"
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(naive expand repair)

for image in breakfix/python:3.11 breakfix/postgres:15; do
  docker image inspect "$image" >/dev/null 2>&1 || { echo "missing image $image: run 'breakfix images'" >&2; exit 2; }
done

TAGS=()
cleanup() {
  docker rm -f "$P-db" "$P-api" >/dev/null 2>&1 || true
  docker network rm "$P-net" >/dev/null 2>&1 || true
  docker volume rm "$P-db-data" >/dev/null 2>&1 || true
  [ ${#TAGS[@]} -eq 0 ] || docker image rm "${TAGS[@]}" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# -- images: 1.4.0 from its own tree; 2.0.0 as shipped and with each fix overlaid ------------------
build() { # tag context
  docker build -q "${LABEL[@]}" -t "$P/notes-api:$1" "$2" >/dev/null
  # Tag the build stage too (fully cached, instant) so that cleanup removes it instead of
  # leaving it behind as an untagged image.
  docker build -q "${LABEL[@]}" --target build -t "$P/notes-api-build:$1" "$2" >/dev/null
  TAGS+=("$P/notes-api:$1" "$P/notes-api-build:$1")
}
variant() { # name overlay-dir
  mkdir -p "$WORK/$1"
  cp -r "$LAB/Dockerfile" "$LAB/.dockerignore" "$LAB/VERSION" "$LAB/app" "$LAB/migrations" "$LAB/tests" "$WORK/$1/"
  [ -z "$2" ] || cp -r "$2/." "$WORK/$1/"
  build "2.0.0-$1" "$WORK/$1"
}
say "building images"
build 1.4.0 "$LAB/releases/1.4.0"
variant naive ""
variant expand "$FIX/expand"
# The repair fix is the scenario's reference solution; it lives with the scenario.
variant repair "$LAB/../../scenarios/rollback-schema-change/solution"

docker network create "${LABEL[@]}" "$P-net" >/dev/null

DB_ENV=(-e DATABASE_HOST=db -e DATABASE_NAME=notes -e DATABASE_USER=notes -e LOG_FORMAT=text)
SECRET=(-v "$PW:/run/secrets/db_password:ro")

fresh_db() {
  docker rm -f "$P-db" >/dev/null 2>&1 || true
  docker volume rm "$P-db-data" >/dev/null 2>&1 || true
  docker run -d --name "$P-db" --network "$P-net" --network-alias db "${LABEL[@]}" \
    -v "$P-db-data:/var/lib/postgresql/data" "${SECRET[@]}" \
    -e POSTGRES_USER=notes -e POSTGRES_DB=notes -e POSTGRES_PASSWORD_FILE=/run/secrets/db_password \
    breakfix/postgres:15 >/dev/null
  for _ in $(seq 100); do
    docker exec "$P-db" pg_isready -q -h 127.0.0.1 -U notes -d notes && return 0
    sleep 0.2
  done
  fail "database did not become ready"
}

migrate() { # image
  docker run --rm --network "$P-net" "${LABEL[@]}" "${DB_ENV[@]}" "${SECRET[@]}" "$P/notes-api:$1" \
    python3 -m app.migrate | sed "s/^/   [migrate $1] /"
}

PORT=
api() { # image: start the api, publish 8080 on a free 127.0.0.1 port
  docker rm -f "$P-api" >/dev/null 2>&1 || true
  docker run -d --name "$P-api" --network "$P-net" "${LABEL[@]}" "${DB_ENV[@]}" "${SECRET[@]}" \
    -e PORT=8080 -p 127.0.0.1::8080 "$P/notes-api:$1" >/dev/null
  PORT="$(docker port "$P-api" 8080/tcp | head -1 | sed 's/.*://')"
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/version" && return 0
    sleep 0.05
  done
  fail "api $1 did not answer"
}

http() { # method path [json] -> prints "status body"
  local args=(-s -o "$WORK/body" -w '%{http_code}' -X "$1" "http://127.0.0.1:$PORT$2")
  [ $# -lt 3 ] || args+=(-H 'Content-Type: application/json' -d "$3")
  local status
  status="$(curl "${args[@]}")"
  echo "$status $(cat "$WORK/body")"
}
expect() { # status method path [json]
  local want="$1"; shift
  local got
  got="$(http "$@")"
  echo "   $1 $2 -> $got" | cut -c1-220
  [ "${got%% *}" = "$want" ] || fail "$1 $2: expected $want, got ${got%% *}"
}
titles() { # "id:title=body ..." of every note, formatted by the api container's python
  http GET /notes | cut -d' ' -f2- | docker exec -i "$P-api" python3 -c \
    'import json, sys; print(" ".join("%s:%s=%s" % (n["id"], n["title"], n["body"]) for n in json.load(sys.stdin)["notes"]))'
}

run_case() {
  local case="$1" v2="2.0.0-$1"
  [ "$case" = repair ] && v2="2.0.0-naive"
  say "case $case"
  fresh_db
  migrate 1.4.0
  api 1.4.0
  expect 201 POST /notes '{"title":"A","body":"written by 1.4.0"}'
  expect 201 POST /notes '{"title":"B","body":"written by 1.4.0"}'

  migrate "$v2"
  api "$v2"
  expect 200 GET /health
  expect 201 POST /notes '{"title":"C","body":"written by 2.0.0"}'
  expect 200 PUT /notes/1 '{"title":"A","body":"edited by 2.0.0"}'
  local before
  before="$(titles)"
  echo "   notes under 2.0.0: $before"

  if [ "$case" = repair ]; then
    say "case repair: 1.4.0 is broken until 004 runs"
    api 1.4.0
    expect 503 GET /health
    expect 500 GET /notes
    migrate 2.0.0-repair
  fi

  say "case $case: roll back to 1.4.0"
  api 1.4.0
  if [ "$case" = naive ]; then
    expect 503 GET /health
    expect 500 GET /notes
    expect 500 POST /notes '{"title":"D","body":"written by 1.4.0 after the rollback"}'
    docker logs "$P-api" 2>&1 | grep -E 'ERROR' | head -2 | sed 's/^/   [api log] /' | cut -c1-260
    echo "   => as expected, 1.4.0 cannot run on the naive 2.0.0 schema"
    return 0
  fi
  expect 200 GET /health
  local after
  after="$(titles)"
  echo "   notes under 1.4.0: $after"
  [ "$after" = "$before" ] || fail "notes differ after the rollback"
  expect 201 POST /notes '{"title":"D","body":"written by 1.4.0 after the rollback"}'
  expect 200 PUT /notes/3 '{"title":"C","body":"edited by 1.4.0"}'

  say "case $case: roll forward to 2.0.0 again"
  api "2.0.0-$case"
  expect 200 GET /health
  after="$(titles)"
  echo "   notes under 2.0.0: $after"
  [ "$after" = "1:A=edited by 2.0.0 2:B=written by 1.4.0 3:C=edited by 1.4.0 4:D=written by 1.4.0 after the rollback" ] \
    || fail "notes written by 1.4.0 after the rollback are not all visible to 2.0.0"
  echo "   => rollback and roll-forward lose no note"
}

for c in "${CASES[@]}"; do run_case "$c"; done
say "all cases behaved as expected: ${CASES[*]}"
