# fish completion for execmon(8)

# Field names for --fields, after what is typed up to the last comma.
function __fish_execmon_fields
    set -l done (commandline -ct | string replace -ra -- '^-o|^--fields=|[^,]*$' '')
    for f in time timestamp pid ppid uid user comm ret cwd cgroup mntns container_id container_runtime pod_uid exe_dev exe_ino exe_size exe_mtime exe_ctime exe_sha256 auid loginuser sid tty euid egid secure pcomm exec_id parent_exec_id pidfs_ino nspid pidns exe_kind env exe args
        echo $done$f
    end
end

# A directory under the cgroup mount, from /sys/fs/cgroup/ on.
function __fish_execmon_cgroups
    set -l cur (commandline -ct | string replace -r -- '^--cgroup=' '')
    test -n "$cur"; or set cur /sys/fs/cgroup/
    __fish_complete_directories $cur
end

# After the first "--" comes the command to run and its arguments.
function __fish_execmon_command
    set -l tokens (commandline -opc) (commandline -ct)
    set -l i (contains -i -- -- $tokens)
    or return
    set -l cmd $tokens[(math $i + 1)..-1]
    # a command name is not an option
    string match -q -- '-*' $cmd[1]
    or __fish_complete_subcommand --commandline $cmd
end

# The options that choose table columns cannot go with --json.
set -l columns '__fish_contains_opt -s o fields -s T time -s t timestamp -s U print-uid'
set -l no_json 'not __fish_contains_opt -s j json'
set -l command 'contains -- -- (commandline -opc)'

complete -c execmon -f
complete -c execmon -n $command -x -a '(__fish_execmon_command)'
complete -c execmon -s p -l pid -x -a '(__fish_complete_pids)' -d 'Only execs by process PID'
complete -c execmon -s P -l ppid -x -a '(__fish_complete_pids)' -d 'Only execs whose parent is process PID'
complete -c execmon -s u -l uid -x -a '(__fish_complete_users)' -d 'Only execs by this user'
complete -c execmon -s c -l comm -x -a '(__fish_complete_proc)' -d 'Only execs whose new process name is NAME'
complete -c execmon -l cgroup -x -a '(__fish_execmon_cgroups)' -d 'Only execs in this cgroup v2 or below it'
complete -c execmon -l container -x -d 'Only execs in this container (its id, or 12 or more hex digits)'
complete -c execmon -l tree -x -a '(__fish_complete_pids)' -d 'Only execs of process PID and its descendants'
complete -c execmon -s x -l fails -d 'Also show failed execs, with the error'
complete -c execmon -s j -l json -n "not $columns" -d 'One JSON object per exec per line (--json=ecs: Elastic Common Schema)'
complete -c execmon -l json -n "not $columns" -f -a 'ecs execmon' -d 'JSON format'
complete -c execmon -s e -l exits -d 'Also show the end of each process: status, times, peak RSS'
complete -c execmon -l summary -r -F -d 'At the end, the tree of what the command ran (stderr, or =FILE)'
complete -c execmon -l timeline -r -F -d 'At the end, the processes as a Chrome trace in FILE'
complete -c execmon -s o -l fields -x -n $no_json -a '(__fish_execmon_fields)' -d 'Table columns, comma-separated'
complete -c execmon -s H -l no-header -d 'Do not print the header line'
complete -c execmon -l journal -d 'Each exec one entry of the systemd journal'
complete -c execmon -l env -d 'Add the environment (--env=NAME,... only those); it holds secrets'
complete -c execmon -l hash -d 'Add the SHA-256 of each executed file'
complete -c execmon -s w -l output -r -F -d 'Append to FILE instead of standard output'
complete -c execmon -s T -l time -n $no_json -d 'Add a TIME column (HH:MM:SS)'
complete -c execmon -s t -l timestamp -n $no_json -d 'Add seconds since execmon started'
complete -c execmon -s U -l print-uid -n $no_json -d 'Add a UID column'
complete -c execmon -s b -l buffer-pages -x -a '1 2 4 8 16 32 64 128 256 512 1024 2048 4096 8192 16384 32768 65536' -d 'Perf buffer size per CPU, in pages'
complete -c execmon -l ring -x -a 'perf bpf' -d 'Per-CPU perf buffers, or one BPF ring buffer'
complete -c execmon -s S -l stats -d 'At exit, print what was seen, sent and lost'
complete -c execmon -s s -l strict -d 'Exit with status 3 if any event was lost'
complete -c execmon -s v -l verbose -d "Show libbpf's log"
complete -c execmon -s V -l version -d 'Print the version and the libbpf version'
complete -c execmon -s '?' -l help -d 'List the options'
complete -c execmon -l usage -d 'Give a short usage message'
