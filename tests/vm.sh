# tests/kernels/vm's stall handling, against a stand-in for qemu that
# writes what a guest would to its two serial ports and then hangs: the
# console's soft lockup or RCU stall, or no output at all; and how it
# boots an arm64 kernel. No VM is booted.
SUITE=vm
. "$(dirname "$0")/lib.sh"

if ! have busybox || ! have cpio; then
	for c in "a soft lockup stops the guest at once" "status 126 names the lockup" \
		"an RCU stall stops the guest" "a quiet guest is stopped after --quiet" \
		"a stall then a good boot: the command's status" "a stall then a good boot: said, and the first console kept" \
		"two stalls with --retry 1: status 126 after two boots" "a guest that ends normally is not stopped" \
		"a panic then a good boot: the command's status" \
		"arm64: qemu-system-aarch64, -M virt, the cheap pointer authentication, ttyAMA0" \
		"arm64: its root filesystem and the repository shared" \
		"arm64: the initramfs runs the root filesystem's busybox, mode root, a virtio console" \
		"arm64: the command's status and output through the virtio console" \
		"arm64: --ramfs refused with status 64, naming the kernel"; do
		skip "$c" "busybox or cpio missing (make deps)"
	done
	exit 0
fi

# A kernel package to boot: the stand-in never reads it.
kdir=$TMP/kernel
mkdir -p "$kdir/boot" "$kdir/lib/modules/9.9.9"
: >"$kdir/boot/vmlinuz-9.9.9"

# The stand-in: FAKE_BOOTS lists what each boot does, one word per boot
# (stall, rcu, quiet, panic, ok); the count of boots so far is in $TMP/boots.
cat >"$TMP/qemu" <<'EOS'
#!/bin/bash
ports=()
: >"$FAKE_DIR/args"
while [ $# -gt 0 ]; do
	echo "$1" >>"$FAKE_DIR/args"
	[ "$1" = -serial ] && ports+=("${2#file:}")
	# the virtio console, on arm64
	[[ $1 == file,id=out,path=* ]] && ports+=("${1#file,id=out,path=}")
	[ "$1" = -initrd ] && cp "$2" "$FAKE_DIR/initrd"
	shift
done
console=${ports[0]} out=${ports[1]}
n=$(($(cat "$FAKE_DIR/boots" 2>/dev/null || echo 0) + 1))
echo $n >"$FAKE_DIR/boots"
read -ra plan <<<"$FAKE_BOOTS"
echo "[    1.000000] Run /init as init process" >>"$console"
echo "started $n" >>"$out"
case ${plan[$((n - 1))]} in
stall) sleep 1; echo "[   30.000000] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [execmon:145]" >>"$console" ;;
rcu) sleep 1; echo "[   30.000000] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:" >>"$console" ;;
panic) echo "[    2.000000] Kernel panic - not syncing: Attempted to kill init!" >>"$console"; exit 0 ;;
ok) sleep 2; echo "still here" >>"$out"; printf 'done\r\nEXECMON-VM-EXIT 7\r\n' >>"$out"; exit 0 ;;
esac
exec sleep 600
EOS
chmod +x "$TMP/qemu"

# vm_fake BOOTS [VM OPTIONS]: runs tests/kernels/vm with the stand-in;
# sets rc, secs and out (its output).
vm_fake() {
	local boots=$1 t=$SECONDS
	shift
	rm -f "$TMP/boots"
	out=$(FAKE_DIR=$TMP FAKE_BOOTS=$boots QEMU=$TMP/qemu tests/kernels/vm --timeout 120 "$@" "$kdir" -- true 2>&1)
	rc=$?
	secs=$((SECONDS - t))
}
boots() { cat "$TMP/boots" 2>/dev/null || echo 0; }
said() { grep -q -- "$1" <<<"$out"; }

vm_fake stall
check "a soft lockup stops the guest at once" test "$rc" = 126 -a "$secs" -lt 30
check "status 126 names the lockup" said 'the guest stalled, stopped: .*BUG: soft lockup - CPU#1'

vm_fake rcu
check "an RCU stall stops the guest" test "$rc" = 126 -a "$secs" -lt 30

vm_fake quiet --quiet 3
check "a quiet guest is stopped after --quiet" \
	eval '[ "$rc" = 126 ] && [ "$secs" -lt 30 ] && said "printed nothing for 3 s"'

vm_fake "stall ok" --retry 1 --log "$TMP/console"
check "a stall then a good boot: the command's status" test "$rc" = 7 -a "$(boots)" = 2
check "a stall then a good boot: said, and the first console kept" \
	eval 'said "soft lockup.*(console: $TMP/console.0); booting it once more" && grep -q "soft lockup" "$TMP/console.0"'

vm_fake "stall rcu" --retry 1
check "two stalls with --retry 1: status 126 after two boots" test "$rc" = 126 -a "$(boots)" = 2

vm_fake ok --quiet 5
check "a guest that ends normally is not stopped" eval '[ "$rc" = 7 ] && grep -qx done <<<"$out"'

vm_fake "panic ok" --retry 1
check "a panic then a good boot: the command's status" test "$rc" = 7 -a "$(boots)" = 2

# An arm64 kernel: told by its config, booted under qemu-system-aarch64
# (found in PATH), on a root filesystem of its own (VM_ROOTFS) whose
# busybox the initramfs runs.
akdir=$TMP/arm64-kernel
mkdir -p "$akdir/boot" "$akdir/lib/modules/9.9.9-arm64" "$TMP/bin" "$TMP/rootfs/usr/local/lib/execmon-vm"
: >"$akdir/boot/vmlinuz-9.9.9-arm64"
printf 'CONFIG_ARM64=y\nCONFIG_NET_9P_VIRTIO=m\n' >"$akdir/boot/config-9.9.9-arm64"
for m in drivers/virtio/virtio_pci net/9p/9pnet_virtio fs/9p/9p fs/overlayfs/overlay drivers/char/virtio_console; do
	echo "kernel/$m.ko"
done >"$akdir/lib/modules/9.9.9-arm64/modules.builtin"
echo "arm64 busybox" >"$TMP/rootfs/usr/local/lib/execmon-vm/busybox"
chmod +x "$TMP/rootfs/usr/local/lib/execmon-vm/busybox"
cp "$TMP/qemu" "$TMP/bin/qemu-system-aarch64"
repo=$(cd "$(dirname "$0")/.." && pwd)
rm -f "$TMP/boots" "$TMP/initrd"
out=$(cd "$repo" && FAKE_DIR=$TMP FAKE_BOOTS=ok PATH=$TMP/bin:$PATH VM_ROOTFS=$TMP/rootfs \
	env -u QEMU -u VM_CPU tests/kernels/vm --timeout 120 "$akdir" -- true 2>&1)
rc=$?
arg() { grep -qxF -- "$1" "$TMP/args"; }
check "arm64: qemu-system-aarch64, -M virt, the cheap pointer authentication, ttyAMA0" \
	eval '[ "$(boots)" = 1 ] && arg virt && arg max,pauth-impdef=on && grep -q "^console=ttyAMA0 " "$TMP/args" && ! arg q35'
check "arm64: its root filesystem and the repository shared" \
	eval 'arg "local,id=rootfs,path=$TMP/rootfs,security_model=none,readonly=on,multidevs=remap" &&
		arg "local,id=repo,path=$repo,security_model=none,readonly=on,multidevs=remap" && ! grep -q "path=/," "$TMP/args"'
mkdir -p "$TMP/initrd.d"
(cd "$TMP/initrd.d" && cpio -i --quiet -d <"$TMP/initrd" 2>/dev/null)
check "arm64: the initramfs runs the root filesystem's busybox, mode root, a virtio console" \
	eval 'cmp -s "$TMP/initrd.d/bin/busybox" "$TMP/rootfs/usr/local/lib/execmon-vm/busybox" &&
		[ "$(cat "$TMP/initrd.d/mode")" = root ] && [ "$(cat "$TMP/initrd.d/outdev")" = hvc0 ] &&
		grep -qxF "repo $repo" "$TMP/initrd.d/shares"'
check "arm64: the command's status and output through the virtio console" eval '[ "$rc" = 7 ] && grep -qx done <<<"$out"'

out=$(FAKE_DIR=$TMP FAKE_BOOTS=ok PATH=$TMP/bin:$PATH VM_ROOTFS=$TMP/rootfs tests/kernels/vm --ramfs "$akdir" -- true 2>&1)
rc=$?
check "arm64: --ramfs refused with status 64, naming the kernel" eval '[ "$rc" = 64 ] && said "vm: $akdir: an arm64 kernel runs on its root filesystem"'
