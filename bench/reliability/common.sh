# Shared by bench/slowloris and bench/soak (sourced): finds Java, builds the CLI jar when sources changed,
# starts `porter demo` on a free loopback port, and stops what it started by PID on exit.
# Needs ROOT set to the repository root.

# shellcheck source=../../scripts/find-java.sh
. "$ROOT/scripts/find-java.sh"
porter_find_java || exit 1
JAVA="$PORTER_JAVA"
JCMD="$(dirname "$JAVA")/jcmd"
PORTER_JAR="${PORTER_JAR:-$ROOT/porter-cli/target/porter.jar}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/porter-reliability.XXXXXX")"
SERVER_PID=""
SERVER_PORT=""
CHILD_PIDS=()

reliability_cleanup() {
  local pid
  for pid in "${CHILD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap reliability_cleanup EXIT

# Builds porter.jar unless it is newer than every source (like ./porter does).
build_jar() {
  if [ -f "$PORTER_JAR" ] && [ -z "$(find "$ROOT/pom.xml" "$ROOT/porter-core/src/main" "$ROOT/porter-http/src/main" \
        "$ROOT/porter-cli/src/main" "$ROOT/examples/src/main" -newer "$PORTER_JAR" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  echo "building porter.jar (log in $WORK/build.log)..." >&2
  (cd "$ROOT" && mvn -B -q -ntp -DskipTests -pl porter-cli -am package >"$WORK/build.log" 2>&1) \
    || { cat "$WORK/build.log" >&2; echo "build failed" >&2; exit 1; }
}

# start_demo JVM_OPTS... -- DEMO_ARGS... : starts porter demo on a free port; sets SERVER_PID, SERVER_PORT.
# Returns 1 (and leaves nothing running) if the server exits before listening.
start_demo() {
  local jvm=() args=() seen=0 line
  for a in "$@"; do
    if [ "$a" = "--" ]; then seen=1; continue; fi
    if [ $seen -eq 0 ]; then jvm+=("$a"); else args+=("$a"); fi
  done
  "$JAVA" "${jvm[@]}" -jar "$PORTER_JAR" demo -p 0 -b 127.0.0.1 "${args[@]}" >"$WORK/server.out" 2>"$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    line=$(head -n 1 "$WORK/server.out" 2>/dev/null || true)
    # Every server command's first line is "Listening on SCHEME://HOST:PORT", the port last (docs/serve.md).
    case "$line" in
      "Listening on "*) SERVER_PORT="${line##*:}"; return 0 ;;
    esac
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      wait "$SERVER_PID" 2>/dev/null || true
      SERVER_PID=""
      return 1
    fi
    sleep 0.1
  done
  echo "porter demo did not start; its stderr:" >&2
  cat "$WORK/server.err" >&2
  exit 1
}

# wrk_rps SECONDS CONNECTIONS: requests per second of GET /plaintext on the demo server.
wrk_rps() {
  wrk -t2 -c"$2" -d"$1"s "http://127.0.0.1:$SERVER_PORT/plaintext" | awk '/^Requests\/sec:/ {print $2}'
}
