# Sourced by ./porter, ./run-tests and bench/run: finds a JDK 21+ and exports JAVA_HOME and PORTER_JAVA.
# Order: $JAVA_HOME if it is 21+, else `java` on PATH if 21+, else the newest JDK under /usr/lib/jvm.
# With none, prints one line saying what to install and returns 1.

porter_java_major() { # prints the feature version of the java binary $1, or nothing
  local line
  line=$("$1" -version 2>&1 | head -n 1) || return 0
  line=${line#*version \"}
  line=${line%%\"*}
  case "$line" in
    1.*) line=${line#1.}; echo "${line%%.*}" ;;
    *) line=${line%%[.+-]*}; echo "$line" ;;
  esac
}

porter_find_java() {
  local candidate major best="" best_major=0 home
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(porter_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then best="$JAVA_HOME/bin/java"; fi
  fi
  if [ -z "$best" ] && command -v java >/dev/null 2>&1; then
    candidate=$(command -v java)
    major=$(porter_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then best="$candidate"; fi
  fi
  if [ -z "$best" ]; then
    for candidate in /usr/lib/jvm/*/bin/java; do
      [ -x "$candidate" ] || continue
      major=$(porter_java_major "$candidate")
      if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
        best="$candidate"; best_major=$major
      fi
    done
  fi
  if [ -z "$best" ]; then
    echo "porter: needs Java 21 or newer; none found in JAVA_HOME, PATH or /usr/lib/jvm. Install one: apt-get install openjdk-21-jdk (or a Temurin 21+ JDK) and set JAVA_HOME." >&2
    return 1
  fi
  home=$(dirname "$(dirname "$(readlink -f "$best")")")
  export JAVA_HOME="$home"
  export PORTER_JAVA="$home/bin/java"
  export PATH="$home/bin:$PATH"
}
