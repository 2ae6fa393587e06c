# bash completion for execmon(8)                           -*- shell-script -*-

_execmon()
{
    local cur prev words cword split
    _init_completion -s || return

    local fields='time timestamp pid ppid uid user comm exe args'
    local opts='--pid= --ppid= --uid= --comm= --json --fields= --no-header
        --time --timestamp --print-uid --buffer-pages= --stats --strict
        --verbose --version --help --usage
        -p -P -u -c -j -o -H -T -t -U -b -S -s -v -V'

    case $prev in
        -p | --pid | -P | --ppid)
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
        -o | --fields)
            # A comma-separated list: complete the last name, keep the rest.
            local last=${cur##*,}
            COMPREPLY=($(compgen -P "${cur%"$last"}" -W "$fields" -- "$last"))
            compopt -o nospace
            return
            ;;
        -b | --buffer-pages)
            # A power of two, 1 to 65536.
            COMPREPLY=($(compgen -W "$(for ((n = 1; n <= 65536; n *= 2)); do echo $n; done)" -- "$cur"))
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
