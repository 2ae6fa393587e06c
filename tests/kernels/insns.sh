# tests/kernels/insns.sh LABEL: starts execmon briefly in a few modes and
# prints one line, "LABEL: verified insns: NAME=N ...", for the BPF programs
# it loads, with the instruction count the verifier processed (how close
# each is to the kernel's limits); "-" where the kernel does not report it.
# A count that differs from the first mode's is shown too, as NAME(MODE)=N.
# POSIX sh,
# as root; PROGS is the helper built from tests/kernels/progs.c.
EXECMON=${EXECMON:-${BUILD:-build}/execmon}
PROGS=${PROGS:-${BUILD:-build}/progs}
label=${1:-$(uname -r)}
tmp=$(mktemp -d /tmp/execmon-insns.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
notes=

# The modes that load different programs: follow mode (--tree) adds the
# fork and exit programs, -x those of the system calls; --env with --json
# and -x is the largest exec program, with every optional part.
for mode in "" --json -x "--tree 1" "--env --json -x"; do
	# shellcheck disable=SC2086
	"$EXECMON" $mode >/dev/null 2>"$tmp/err" &
	pid=$!
	up=
	i=0
	while [ $i -lt 1800 ] && kill -0 $pid 2>/dev/null; do
		for f in /proc/$pid/fd/*; do
			case $(readlink "$f" 2>/dev/null) in *bpf_link*) up=1 ;; esac
		done
		[ -n "$up" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	if [ -n "$up" ]; then
		for id in $(sed -n 's/^prog_id:[[:space:]]*//p' /proc/$pid/fdinfo/* 2>/dev/null | sort -un); do
			name=$(bpftool prog show id "$id" 2>/dev/null | sed -n '1s/.* name \([^ ]*\) .*/\1/p')
			"$PROGS" "$id" 2>/dev/null | while read -r _ n; do m=${mode%% *}; echo "${m:-default} ${name:-id$id} $n"; done
		done >>"$tmp/counts"
	else
		notes="$notes; ${mode:-default}: did not load"
	fi
	kill -INT $pid 2>/dev/null
	wait $pid
done

# One NAME=N per program, in the order first seen, then NAME(MODE)=N for
# each other count of it.
line=$(awk '
	!($2 in first) { order[++n] = $2; first[$2] = $3; shown[$2 "=" $3] = 1; next }
	!(($2 "=" $3) in shown) { shown[$2 "=" $3] = 1; more[$2] = more[$2] " " $2 "(" $1 ")=" $3 }
	$3 != "-" { counted = 1 }
	END {
		if (!counted) {
			printf "not reported by this kernel (programs:"
			for (i = 1; i <= n; i++) printf " %s", order[i]
			printf ")"
			exit
		}
		for (i = 1; i <= n; i++) printf "%s%s=%s%s", (i > 1 ? " " : ""), order[i], first[order[i]], more[order[i]]
	}
' "$tmp/counts" 2>/dev/null)
echo "$label: verified insns: ${line:-none}$notes"
