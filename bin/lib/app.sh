# Sourced by bin/sync-local: how a service's JVM is launched so that it starts quickly. Needs ROOT.
#
#   app_args NAME JAR   prints, one per line, the java arguments that run JAR: extracted beside it (a plain
#                       jar loads faster than the nested jars of the executable one, and only plain jars can
#                       be archived), with the class-data archive (CDS) an earlier run left at its clean stop
#                       (-XX:SharedArchiveFile), or else asking this run to leave one (-XX:ArchiveClassesAtExit).
#                       SYNC_CDS=0: the executable jar as built, nothing else.
#
# The archive holds the classes the run loaded, parsed and verified; a JVM that maps it skips that work.
# It is made again whenever the jar is rebuilt (and ignored, with a warning in the log, by another JVM).

app_args() { # name, jar (relative to ROOT)
  local name=$1 jar=$ROOT/$2
  if [ "${SYNC_CDS:-1}" = 0 ]; then
    printf '%s\n' -jar "$jar"
    return
  fi
  local dir="${jar%.jar}-app"
  local run="$dir/run.args" # how to run what was extracted: "-jar <jar>" or "-cp <jars> <main class>"
  if [ ! -f "$run" ] || [ "$jar" -nt "$run" ]; then
    rm -rf "$dir"
    extract "$jar" "$dir" >/dev/null 2>&1 || { rm -rf "$dir"; printf '%s\n' -jar "$jar"; return; }
  fi
  local archive="$dir/$name.jsa"
  if [ -s "$archive" ] && [ "$archive" -nt "$run" ]; then
    printf '%s\n' "-XX:SharedArchiveFile=$archive"
  else
    printf '%s\n' "-XX:ArchiveClassesAtExit=$archive"
  fi
  cat "$run"
}

# Spring Boot's own extraction (a jar whose manifest names its libraries) needs Spring in the jar; the
# broker (local-kafka) has none, so its libraries are unpacked and named on a class path instead.
extract() { # jar, dir
  local jar=$1 dir=$2
  if java -Djarmode=tools -jar "$jar" extract --destination "$dir"; then
    printf '%s\n' -jar "$dir/$(basename "$jar")" >"$dir/run.args"
    return
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  (cd "$dir" && jar xf "$jar") || return 1
  # a class-data archive takes classes from jars only, not from a directory
  jar cf "$dir/classes.jar" -C "$dir/BOOT-INF/classes" . || return 1
  local main cp="$dir/classes.jar" lib
  main=$(sed -n 's/^Start-Class: *\([^[:space:]]*\).*/\1/p' "$dir/META-INF/MANIFEST.MF")
  [ -n "$main" ] || return 1
  while read -r lib; do # classpath.idx lines: - "BOOT-INF/lib/x.jar"
    lib=${lib#- \"}
    cp="$cp:$dir/${lib%\"}"
  done <"$dir/BOOT-INF/classpath.idx"
  printf '%s\n' -cp "$cp" "$main" >"$dir/run.args"
}
