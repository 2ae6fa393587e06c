# bash completion for execmon(8)                           -*- shell-script -*-

_execmon()
{
    local cur prev words cword split
    _init_completion -s || return

    # After "--" comes the command to run and its arguments.
    local i
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} == -- ]]; then
            _command_offset $((i + 1))
            return
        fi
    done

    local fields='time timestamp pid ppid uid user comm ret cwd cgroup mntns container_id container_runtime pod_uid exe_dev exe_ino exe_size exe_mtime exe_ctime exe_sha256 auid loginuser sid tty euid egid secure pcomm exec_id parent_exec_id pidfs_ino nspid pidns exe_kind env exe args'
    local opts='--pid= --ppid= --uid= --comm= --cgroup= --tree= --fails --json --json=
        --fields= --output= --journal --env --env= --hash --no-header --time --timestamp --print-uid --buffer-pages=
        --stats --strict --verbose --version --help --usage
        --exits --summary --summary= --timeline= -e --ring=
        -p -P -u -c -x -j -o -w -H -T -t -U -b -S -s -v -V
        --container='

    case $prev in
        -p | --pid | -P | --ppid | --tree)
            _pids
            return
            ;;
        -u | --uid)
            COMPREPLY=($(compgen -W "$(getent passwd | cut -d: -f1)" -- "$cur"))
            return
            ;;
        -c | --comm)
            # Names can hold spaces: one per line.
            local IFS=$'\n'
            COMPREPLY=($(compgen -W "$(ps -e -o comm= | sort -u)" -- "$cur"))
            return
            ;;
        --cgroup)
            # A directory under the cgroup mount.
            local IFS=$'\n'
            COMPREPLY=($(compgen -d -- "${cur:-/sys/fs/cgroup/}"))
            compopt -o filenames
            return
            ;;
        --container)
            # An id, or its first 12 hex digits: nothing to offer.
            return
            ;;
        -o | --fields)
            # A comma-separated list: complete the last name, keep the rest.
            local last=${cur##*,}
            COMPREPLY=($(compgen -P "${cur%"$last"}" -W "$fields" -- "$last"))
            compopt -o nospace
            return
            ;;
        -w | --output)
            _filedir
            return
            ;;
        -b | --buffer-pages)
            # A power of two, 1 to 65536.
            COMPREPLY=($(compgen -W "$(for ((n = 1; n <= 65536; n *= 2)); do echo $n; done)" -- "$cur"))
            return
            ;;
        --json)
            # Only after --json=: the formats.
            $split || return
            COMPREPLY=($(compgen -W 'ecs execmon' -- "$cur"))
            return
            ;;
        --ring)
            COMPREPLY=($(compgen -W 'perf bpf' -- "$cur"))
            return
            ;;
        --env)
            # Only after --env=: the names of variables, comma-separated.
            $split || return
            local last=${cur##*,}
            COMPREPLY=($(compgen -P "${cur%"$last"}" -e -- "$last"))
            compopt -o nospace
            return
            ;;
        -V | --version | --help | --usage)
            return
            ;;
    esac
    $split && return

    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
} &&
    complete -F _execmon execmon

# ex: filetype=sh
