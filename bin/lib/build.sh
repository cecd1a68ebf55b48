# Sourced by the bin/ scripts: the one way they build. Needs ROOT (the checkout) to be set.
#
#   ensure_built LABEL MODULES JAR...   build MODULES (comma-separated, with what they need) when a JAR is
#                                       missing or older than a pom or main source; SYNC_BUILD=1 forces it
#
# Tests are compiled but not run (-DskipTests): common and local-kafka package their test jars, which the
# other modules declare, so the build resolves on a clone where nothing was ever built or installed.

SYNC_VERSION=0.1.0-SNAPSHOT

jars_stale() { # jar...: true when one is missing or older than a pom or a main source
  local jar
  for jar in "$@"; do
    [ -f "$ROOT/$jar" ] || return 0
    [ -n "$(cd "$ROOT" && find pom.xml ./*/pom.xml ./*/src/main clients/js/src -newer "$jar" -print -quit 2>/dev/null)" ] \
      && return 0
  done
  return 1
}

ensure_built() { # label, modules, jar...
  local label=$1 modules=$2
  shift 2
  [ "${SYNC_BUILD:-}" = 1 ] || jars_stale "$@" || return 0
  printf '%s: building %s (the first time this fetches dependencies from Maven Central)...\n' "$label" "$modules"
  local out
  out=$(mktemp)
  # one line per module as it starts, the whole log kept for a failure
  if ! (cd "$ROOT" && ./mvnw -B --no-transfer-progress -DskipTests package -pl "$modules" -am) 2>&1 \
      | tee "$out" | sed -un "s/^\[INFO\] Building \([a-z-]*\) $SYNC_VERSION .*/$label:   \1/p"; then
    grep -E 'ERROR' "$out" | head -40 >&2
    printf '%s: the build failed (whole log: %s)\n' "$label" "$out" >&2
    return 1
  fi
  rm -f "$out"
}
