# A storm of 20,000 execs with argv of mixed sizes, up to past the argv
# limit: every exec printed once or counted as lost. Needs root. (make soak runs the
# same check on 1,000,000.)
SUITE=storm
. "$(dirname "$0")/lib.sh"

needs_root
STORM=$BUILD/storm
storm_check "${STORM_EXECS:-20000}" -r -a 20000
