# late_elf.py PATH: writes to PATH an executable that fails past the point
# of no return: an ELF of this machine whose one segment has more file than
# memory. The kernel has replaced the caller's memory by then, and kills it
# (SIGSEGV); the exec call returns EINVAL to no one.
import os, struct, sys

path = sys.argv[1]
elf = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
machine = {"x86_64": 0x3E, "aarch64": 0xB7}[os.uname().machine]  # another is ENOEXEC, too early
elf += struct.pack("<HHIQQQIHHHHHH", 2, machine, 1, 0x400078, 64, 0, 0, 64, 56, 1, 0, 0, 0)
elf += struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 0x1000, 0x10, 0x1000)
open(path, "wb").write(elf.ljust(0x1000, b"\xcc"))
os.chmod(path, 0o755)
