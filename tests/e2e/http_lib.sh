# Helpers shared by the end-to-end tests that start `rasai serve`: a workspace, starting the
# server on an ephemeral port and finding its URL, stopping it. Source it; needs $RASAI.

# rasai_workspace NAME: a temp dir $TMP, removed on exit after stopping a server still running.
rasai_workspace() {
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/rasai-$1.XXXXXX")
  SERVER_PID=""
  trap 'rasai_stop >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT
}

# rasai_url OUT PID [SECONDS]: waits (30 s unless told) for the "Rasai serving ... at URL" line
# that the server PID writes to the file OUT; sets URL. Fails, URL empty, when the server exits
# or prints no such line in time. OUT may not exist yet (the server creates it in the background).
rasai_url() {
  local out="$1" pid="$2" i
  URL=""
  for i in $(seq 1 $((${3:-30} * 10))); do
    URL=$(sed -n 's|^Rasai serving.* at \(http://[^ ]*/\).*$|\1|p' "$out" 2>/dev/null | head -n1 || true)
    [ -n "$URL" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# rasai_start INDEX_DIR [extra env assignments...]: starts the server in the background, sets
# SERVER_PID and URL (e.g. http://127.0.0.1:40123/). Fails when no URL appears in 30 s.
rasai_start() {
  local index="$1"; shift
  local out="$TMP/serve.$RANDOM.out"
  env "$@" "$RASAI" serve --index "$index" --listen 127.0.0.1:0 >"$out" 2>"$out.err" &
  SERVER_PID=$!
  SERVER_ERR="$out.err"
  rasai_url "$out" "$SERVER_PID" && return 0
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "rasai serve exited early:" >&2
  else
    echo "rasai serve printed no 'Rasai serving ... at http://HOST:PORT/' line in 30 s" >&2
  fi
  cat "$out" "$out.err" >&2
  return 1
}

# rasai_stop: SIGTERM, then waits up to 10 s for a clean exit (SIGKILL after that, and fails).
rasai_stop() {
  [ -n "${SERVER_PID:-}" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 100); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      wait "$SERVER_PID" 2>/dev/null && STOP_STATUS=0 || STOP_STATUS=$?
      SERVER_PID=""
      return 0
    fi
    sleep 0.1
  done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  echo "rasai serve did not stop within 10 s of SIGTERM" >&2
  return 1
}
