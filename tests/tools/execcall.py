# execcall: exec system calls made by hand, as the -x suites make them,
# through libc's syscall() so that nothing checks the arguments first.
# Imported by their embedded scripts (PYTHONPATH=tests/tools).
import ctypes, os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
# the machine's own numbers (an arm64 guest's differ)
SYS_execve, SYS_execveat = {"x86_64": (59, 322), "aarch64": (221, 281)}[os.uname().machine]
AT_EMPTY_PATH = 0x1000


def argv(*words):
    """A NULL-ended array of C strings; the strings live as long as it."""
    bufs = [ctypes.create_string_buffer(w.encode()) for w in words]
    arr = (ctypes.c_void_p * (len(bufs) + 1))(*[ctypes.addressof(b) for b in bufs], None)
    arr.bufs = bufs
    return arr


def tell(name, ret):
    """Prints what the kernel said of call name: its return and errno."""
    print(name, ret, os.strerror(ctypes.get_errno()) if ret else 0, flush=True)
