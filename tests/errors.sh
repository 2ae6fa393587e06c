# The error path and the places that were fragile: checks on the tracer's
# own source where the defect is in how it is written, and on execmon's
# behaviour where it shows.
SUITE=errors
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$(dirname "$0")/.." && pwd)

# A flag that a signal handler writes is read by the loop between two of
# its loads: C makes that defined only for volatile sig_atomic_t (or an
# atomic), not for a volatile bool.
out=$(grep -n 'volatile bool' "$TOP"/tracer/*.[ch])
check "signal flags: no volatile bool in the tracer${out:+ ($out)}" test -z "$out"

# One error printer (tracer/log.c): no message writes the "execmon: "
# prefix by hand, so that each says it the same way, once.
out=$(grep -n '"execmon: ' "$TOP"/tracer/*.[ch] | grep -v '^[^:]*/log\.h:' |
	grep -v '^[^:]*:[0-9]*:[[:space:]]*/\?\*')
check "one printer writes the prefix${out:+ ($out)}" test -z "$out"

# One notion of the CPUs (tracer/cpus.c): the loader sizes the per-CPU maps
# and the reader opens rings from the same lists, read by the same parser.
out=$(grep -n 'devices/system/cpu/\|libbpf_num_possible_cpus\|_SC_NPROCESSORS' "$TOP"/tracer/*.[ch] |
	grep -v '^[^:]*/cpus\.[ch]:')
check "cpus: only tracer/cpus.c reads the CPU lists${out:+ ($out)}" test -z "$out"

# One parser of the capability bits (tracer/privs.c), which the start-up
# check and the diagnosis both use: they cannot disagree on what traces.
out=$(grep -n 'CapEff: \|define CAP_[A-Z_]*_BIT' "$TOP"/tracer/*.[ch] | grep -v '^[^:]*/privs\.[ch]:')
check "caps: only tracer/privs.c parses the capability bits${out:+ ($out)}" test -z "$out"

# The exe_kind flags are named in one table (tracer/event.h: EXE_KINDS),
# which the exe_kind field and the table's mark after the path both use.
out=$(grep -n '"(\?\(memfd\|anon\)' "$TOP"/tracer/*.[ch] | grep -v '^[^:]*/event\.h:')
check "exe kinds: named in one place${out:+ ($out)}" test -z "$out"
