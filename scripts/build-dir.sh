# Sourced by scripts/build.sh and scripts/test.sh: the directory a build type lives in. Release,
# the one scripts/run.sh, bench.sh and the package use, is build/; every other type has its own
# (build-sanitize/, build-thread/, build-debug/…), so that a sanitised run never throws away the
# Release objects.
build_dir() {
  local type=${1:-Release}
  if [[ $type == Release ]]; then echo build; else echo "build-${type,,}"; fi
}
