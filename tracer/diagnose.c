// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/xattr.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "cli.h"
#include "cpus.h"
#include "diagnose.h"
#include "log.h"
#include "privs.h"

/* The initial user namespace's inode number, fixed (PROC_USER_INIT_INO). */
#define USERNS_INIT_INO	0xEFFFFFFDUL

#define LOCKDOWN_FILE	"/sys/kernel/security/lockdown"
#define BTF_FILE	"/sys/kernel/btf/vmlinux"
#define TRACEPOINT_TYPE	"btf_trace_sched_process_exec"

/* Set by diag_libbpf_print from the verifier's log. Lockdown makes the
 * verifier refuse the helpers that read kernel memory ("unknown func" in
 * 5.10, "cannot use helper" later); libbpf's own probe of
 * bpf_probe_read_kernel fails too, so it may have turned the calls into
 * bpf_probe_read, the older name, which is refused the same way. */
static bool read_kernel_refused;

static bool refuses_read_kernel(const char *log)
{
	static const char *const says[] = { "unknown func ", "cannot use helper " };
	static const char *const helpers[] = {
		"bpf_probe_read_kernel#", "bpf_probe_read_kernel_str#", "bpf_probe_read#",
		"bpf_probe_read_str#",
	};

	for (size_t i = 0; i < sizeof(says) / sizeof(says[0]); i++)
		for (const char *p = log; (p = strstr(p, says[i])); ) {
			p += strlen(says[i]);
			for (size_t j = 0; j < sizeof(helpers) / sizeof(helpers[0]); j++)
				if (!strncmp(p, helpers[j], strlen(helpers[j])))
					return true;
		}
	return false;
}

/* The mode in brackets, as in "none integrity [confidentiality]". */
static void read_lockdown(struct diag_facts *f)
{
	char line[128], *open, *close;
	FILE *fp = fopen(LOCKDOWN_FILE, "r");

	f->lockdown_unknown = true;
	if (!fp)
		return;
	if (fgets(line, sizeof(line), fp) && (open = strchr(line, '[')) &&
	    (close = strchr(open, ']')) && (size_t)(close - open - 1) < sizeof(f->lockdown)) {
		memcpy(f->lockdown, open + 1, close - open - 1);
		f->lockdown[close - open - 1] = '\0';
		f->lockdown_unknown = false;
	}
	fclose(fp);
}

static void read_status(struct diag_facts *f)
{
	unsigned long long eff = 0;
	bool have_eff = false;
	char line[256];
	FILE *fp = fopen("/proc/self/status", "r");

	f->seccomp = -1;
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		if (caps_parse(line, &eff))
			have_eff = true;
		else
			sscanf(line, "Seccomp: %d", &f->seccomp);
	}
	fclose(fp);
	if (!have_eff) {
		f->caps_tracing = have_tracing_caps();
		return;
	}
	f->caps_tracing = caps_allow_tracing(eff);
	f->cap_ipc_lock = eff & (1ULL << CAP_IPC_LOCK_BIT);
	f->cap_sys_admin = eff & (1ULL << CAP_SYS_ADMIN_BIT);
}

/* Capabilities held in another user namespace than the initial one (a
 * rootless container's, unshare -U) count only for what that namespace
 * owns: bpf() and perf_event_open() check them in the initial one. */
static unsigned long user_namespace(void)
{
	struct stat st;

	if (stat("/proc/self/ns/user", &st) || st.st_ino == USERNS_INIT_INO)
		return 0;
	return st.st_ino;
}

static long long limit_of(int resource)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl))
		return -1;
	return rl.rlim_cur == RLIM_INFINITY ? -2 : (long long)rl.rlim_cur;
}

static long read_long(const char *path)
{
	FILE *fp = fopen(path, "r");
	long v = -1;

	if (fp) {
		if (fscanf(fp, "%ld", &v) != 1)
			v = -1;
		fclose(fp);
	}
	return v;
}

/*
 * A seccomp filter answers before the kernel looks at the arguments, so a
 * call the kernel would refuse with a known errno shows whether it gets
 * through: bpf() with a command that does not exist is EINVAL (for a
 * process with CAP_BPF; without it, EPERM, whatever a filter does), and
 * perf_event_open() without an attribute is EFAULT.
 */
static int bpf_call_blocked(void)
{
	long r = syscall(SYS_bpf, 0x7fffff00, NULL, 0);

	if (r >= 0) {
		close(r);
		return 0;
	}
	return errno == EINVAL ? 0 : errno;
}

static int perf_call_blocked(void)
{
	long r = syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);

	if (r >= 0) {
		close(r);
		return 0;
	}
	return errno == EFAULT ? 0 : errno;
}

/* Before 5.11 the kernel charges maps to RLIMIT_MEMLOCK, later to the
 * memory cgroup: a one-element map that can be made is refused at a limit
 * of zero only where it is charged to the limit. */
static bool memlock_charged(void)
{
	struct rlimit saved, zero = { 0, 0 };
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);

	if (fd < 0)
		return false;	/* refused for another reason */
	close(fd);
	if (getrlimit(RLIMIT_MEMLOCK, &saved))
		return false;
	zero.rlim_max = saved.rlim_max;
	if (setrlimit(RLIMIT_MEMLOCK, &zero))
		return false;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	setrlimit(RLIMIT_MEMLOCK, &saved);
	if (fd >= 0) {
		close(fd);
		return false;
	}
	return errno == EPERM;
}

/* An empty program on the tracepoint, as execmon's would be: what the
 * kernel says to it tells a kernel that has no BTF-enabled tracepoints
 * (before 5.5) from a program it refused for its own content. */
static void probe_tp_btf(struct diag_facts *f)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct btf *btf = btf__load_vmlinux_btf();
	int id, fd;

	f->tp_btf_err = -1;
	if (!btf)
		return;
	id = btf__find_by_name_kind(btf, TRACEPOINT_TYPE, BTF_KIND_TYPEDEF);
	btf__free(btf);
	if (id < 0) {
		f->tp_btf_no_type = true;
		f->tp_btf_err = ENOENT;
		return;
	}
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP,
		    .attach_btf_id = id);
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", insns, 2, &opts);
	if (fd >= 0) {
		close(fd);
		f->tp_btf_err = 0;
	} else {
		f->tp_btf_err = errno;
	}
}

static void gather(struct diag_facts *f, enum diag_step step, int err)
{
	struct utsname u;
	int *cpus;

	memset(f, 0, sizeof(*f));
	f->step = step;
	f->err = err;
	f->setid = is_setid();
	/* set-ID bits change the IDs; otherwise the kernel marks a start
	 * with more privileges (AT_SECURE) for file capabilities */
	f->file_caps = f->setid && getuid() == geteuid() && getgid() == getegid() &&
		       getxattr("/proc/self/exe", "security.capability", NULL, 0) > 0;
	f->btf_err = access(BTF_FILE, R_OK) ? errno : 0;
	read_lockdown(f);
	read_status(f);
	f->userns = user_namespace();
	f->bpf_blocked = bpf_call_blocked();
	f->perf_blocked = perf_call_blocked();
	f->memlock_cur = limit_of(RLIMIT_MEMLOCK);
	f->nofile_cur = limit_of(RLIMIT_NOFILE);
	f->perf_mlock_kb = read_long("/proc/sys/kernel/perf_event_mlock_kb");
	f->perf_paranoid = read_long("/proc/sys/kernel/perf_event_paranoid");
	f->ncpus = cpus_online(&cpus);	/* the rings the reader opens */
	if (f->ncpus > 0)
		free(cpus);
	else
		f->ncpus = 0;	/* unknown: the advice that needs it is left out */
	f->pages = options.ring_pages;
	f->page_size = sysconf(_SC_PAGESIZE);
	f->tp_btf_err = -1;
	f->log_read_kernel_refused = read_kernel_refused;
	if (!uname(&u))
		snprintf(f->release, sizeof(f->release), "%s", u.release);
	/* the costlier probes, only where they can tell the cause */
	if (step == DIAG_LOAD && (err == EPERM || err == EACCES) && f->caps_tracing)
		f->memlock_charged = memlock_charged();
	if (step == DIAG_LOAD && err != EPERM && err != EACCES && err != EMFILE && err != ENFILE)
		probe_tp_btf(f);
}

/* A byte count for people: 64 KB, 8 MB. */
static const char *size_str(char *buf, size_t len, long long bytes)
{
	if (bytes == -2)
		snprintf(buf, len, "unlimited");
	else if (bytes >= 1 << 20 && !(bytes % (1 << 20)))
		snprintf(buf, len, "%lld MB", bytes >> 20);
	else if (bytes >= 1 << 10)
		snprintf(buf, len, "%lld KB", bytes >> 10);
	else
		snprintf(buf, len, "%lld bytes", bytes);
	return buf;
}

static const char *what_failed(enum diag_step step)
{
	switch (step) {
	case DIAG_LOAD:
		return "can't load the BPF program";
	case DIAG_RINGS:
		return "can't open the perf buffers";
	case DIAG_ATTACH:
		return "can't attach to the sched_process_exec tracepoint";
	case DIAG_START:
		break;
	}
	return "can't start tracing";
}

/* The system calls a seccomp filter blocks, as "bpf()", or "" for none. */
static const char *blocked_calls(const struct diag_facts *f)
{
	/* a bpf() probe means something only with the capability, which a
	 * user namespace's does not give */
	bool bpf = f->bpf_blocked && f->caps_tracing && !f->userns;

	if (f->seccomp != 2)
		return "";
	if (bpf && f->perf_blocked)
		return "bpf() and perf_event_open()";
	if (bpf)
		return "bpf()";
	if (f->perf_blocked)
		return "perf_event_open()";
	return "";
}

/* The capabilities of a user namespace's root: said before any other
 * cause, as they make every call fail with EPERM whatever else holds. */
static void explain_userns(const struct diag_facts *f, const char *failed, char *buf,
			   size_t len)
{
	snprintf(buf, len, "%s%stracing needs CAP_BPF and CAP_PERFMON (or root) in the initial "
		 "user namespace, and this process runs in another one (user:[%lu]), as in a "
		 "rootless container or under unshare --user, whose capabilities the kernel "
		 "does not honour for BPF; run execmon as root on the host, or in a container "
		 "that root starts without a user namespace (with --cap-add BPF --cap-add "
		 "PERFMON)",
		 failed, *failed ? ": " : "", f->userns);
}

#define CONTAINER_FIX "start the container with --security-opt seccomp=unconfined, or with a " \
	"seccomp profile that allows bpf and perf_event_open, and with --cap-add BPF " \
	"--cap-add PERFMON (docker, podman)"

static bool explain_nofile(const struct diag_facts *f, char *buf, size_t len);

static bool explain_start(const struct diag_facts *f, char *buf, size_t len)
{
	const char *calls = blocked_calls(f);

	if (f->file_caps) {
		snprintf(buf, len, "refusing to run with file capabilities (setcap) that the user "
			 "who started it has not: that would show every exec to every user who "
			 "can run this file; run it as root, or give CAP_BPF and CAP_PERFMON to "
			 "the process that starts it (setpriv --ambient-caps, or "
			 "AmbientCapabilities= in a systemd unit)");
	} else if (f->setid) {
		snprintf(buf, len, "refusing to run set-user-ID or set-group-ID: that would "
			 "show every exec to every user; run it as root or with CAP_BPF and "
			 "CAP_PERFMON");
	} else if (f->btf_err) {
		snprintf(buf, len, "this kernel has no BTF (%s: %s), which execmon reads the "
			 "kernel's types from; it needs Linux 5.10 or later built with "
			 "CONFIG_DEBUG_INFO_BTF=y, as the usual distributions' kernels are",
			 BTF_FILE, strerror(f->btf_err));
	} else if (!strcmp(f->lockdown, "confidentiality")) {
		snprintf(buf, len, "kernel lockdown is in confidentiality mode (%s), which "
			 "forbids BPF programs to read kernel memory: execmon can't trace under "
			 "it; lockdown can only be lowered at boot (lockdown=integrity on the "
			 "kernel command line, where Secure Boot allows it)", LOCKDOWN_FILE);
	} else if (!f->caps_tracing && f->userns) {
		explain_userns(f, "", buf, len);
	} else if (!f->caps_tracing && f->seccomp == 2) {
		snprintf(buf, len, "tracing needs root, or the capabilities CAP_BPF and "
			 "CAP_PERFMON, and this process has neither; it also runs under a "
			 "seccomp filter (Seccomp: 2 in /proc/self/status), as in a container: "
			 "%s", CONTAINER_FIX);
	} else if (!f->caps_tracing) {
		snprintf(buf, len, "tracing needs root, or the capabilities CAP_BPF and "
			 "CAP_PERFMON (try sudo)");
	} else if (*calls) {
		snprintf(buf, len, "the %s system call%s blocked by a seccomp filter (it fails "
			 "with \"%s\"; Seccomp: 2 in /proc/self/status), as a container's "
			 "default profile does, so root alone is not enough: %s",
			 calls, strstr(calls, " and ") ? "s are" : " is",
			 strerror(f->bpf_blocked && f->caps_tracing ? f->bpf_blocked : f->perf_blocked),
			 CONTAINER_FIX);
	} else {
		return explain_nofile(f, buf, len);
	}
	return true;
}

/* The descriptors execmon holds at its peak, with some room: the maps,
 * programs and links in the loader, and two perf buffers per CPU. Below
 * that, a call that runs out can fail with another errno than EMFILE
 * (libbpf then loads a program without a map it could not create). */
static long long files_needed(const struct diag_facts *f)
{
	return 24 + 2LL * (f->ncpus > 0 ? f->ncpus : 1);
}

static bool explain_nofile(const struct diag_facts *f, char *buf, size_t len)
{
	bool low = f->nofile_cur >= 0 && f->nofile_cur < files_needed(f);
	long long raise = 1024;
	char lim[32];

	if (f->err != EMFILE && !low)
		return false;
	if (f->nofile_cur == -2)
		snprintf(lim, sizeof(lim), "unlimited");
	else
		snprintf(lim, sizeof(lim), "%lld", f->nofile_cur);
	while (raise < files_needed(f))
		raise *= 2;
	snprintf(buf, len, "%s%s%s%sthe limit of open files (RLIMIT_NOFILE, ulimit -n) is %s, "
		 "and execmon needs about %lld here (2 for the perf buffers of each of %d "
		 "CPUs); raise it: ulimit -n %lld in the shell, or LimitNOFILE= in a systemd "
		 "unit", f->step == DIAG_START ? "" : what_failed(f->step),
		 f->step == DIAG_START ? "" : ": ", f->err ? strerror(f->err) : "",
		 f->err ? ": " : "", lim, files_needed(f), f->ncpus, raise);
	return true;
}

/* The perf buffers' mappings, for a process without CAP_IPC_LOCK, count
 * against kernel.perf_event_mlock_kb (per CPU, for the whole user), then
 * RLIMIT_MEMLOCK. Each CPU has its event ring (-b pages and a header
 * page) and the one-page bell (and its header). */
static void explain_ring_budget(const struct diag_facts *f, char *buf, size_t len)
{
	long long per_cpu = f->page_size, need, budget, fit = 0;
	char a[32], b[32];

	need = (long long)f->ncpus * (f->pages + 3) * per_cpu;
	budget = (long long)f->perf_mlock_kb * 1024 * f->ncpus;
	if (f->memlock_cur > 0)
		budget += f->memlock_cur;
	for (long long p = 1; p <= 1 << 20; p *= 2)
		if ((long long)f->ncpus * (p + 3) * per_cpu <= budget)
			fit = p;
	size_str(a, sizeof(a), need);
	size_str(b, sizeof(b), f->memlock_cur == -2 ? -2 : f->memlock_cur);
	snprintf(buf, len, "%s: %s: %ld pages per CPU (-b) on %d CPUs lock %s, beyond what a "
		 "process without CAP_IPC_LOCK may lock for them: kernel.perf_event_mlock_kb "
		 "(%ld KB per CPU, for all of the user's perf buffers), then RLIMIT_MEMLOCK (%s); ",
		 what_failed(f->step), strerror(f->err), f->pages, f->ncpus, a,
		 f->perf_mlock_kb, b);
	if (fit)
		snprintf(buf + strlen(buf), len - strlen(buf), "use -b %lld or less, or raise "
			 "the sysctl kernel.perf_event_mlock_kb or ulimit -l", fit);
	else
		snprintf(buf + strlen(buf), len - strlen(buf), "raise the sysctl "
			 "kernel.perf_event_mlock_kb or ulimit -l");
}

static bool explain_perm(const struct diag_facts *f, char *buf, size_t len)
{
	const char *calls = blocked_calls(f);
	char cur[32];

	if (f->err != EPERM && f->err != EACCES)
		return false;
	if (f->userns) {
		char failed[160];

		snprintf(failed, sizeof(failed), "%s: %s", what_failed(f->step), strerror(f->err));
		explain_userns(f, failed, buf, len);
	} else if (*calls) {
		snprintf(buf, len, "%s: %s: the %s system call%s blocked by a seccomp filter "
			 "(Seccomp: 2 in /proc/self/status), as a container's default profile "
			 "does, so root alone is not enough: %s", what_failed(f->step),
			 strerror(f->err), calls, strstr(calls, " and ") ? "s are" : " is",
			 CONTAINER_FIX);
	} else if (!f->caps_tracing) {
		snprintf(buf, len, "%s: %s; tracing needs root, or the capabilities CAP_BPF and "
			 "CAP_PERFMON (try sudo)", what_failed(f->step), strerror(f->err));
	} else if (f->step == DIAG_LOAD && f->memlock_charged && f->memlock_cur != -2) {
		snprintf(buf, len, "%s: %s: this kernel (%s, before 5.11) charges BPF maps to "
			 "the locked-memory limit RLIMIT_MEMLOCK, which is %s here, and raising "
			 "it needs CAP_SYS_RESOURCE; raise it before execmon starts: ulimit -l "
			 "unlimited in the shell, or LimitMEMLOCK=infinity in a systemd unit",
			 what_failed(f->step), strerror(f->err), f->release,
			 size_str(cur, sizeof(cur), f->memlock_cur));
	} else if (f->step == DIAG_RINGS && f->err == EACCES && f->perf_paranoid >= 3 &&
		   !f->cap_sys_admin) {
		/* Debian's and Ubuntu's kernels add a level 3 at which only
		 * CAP_SYS_ADMIN may open perf events, CAP_PERFMON or not. Root
		 * without it is root under a bounding set, as a unit's. */
		snprintf(buf, len, "%s: %s: kernel.perf_event_paranoid is %ld, at which this "
			 "kernel lets only CAP_SYS_ADMIN open perf events, and execmon runs %s "
			 "without it; %s, or set the sysctl kernel.perf_event_paranoid=2",
			 what_failed(f->step), strerror(f->err), f->perf_paranoid,
			 geteuid() ? "with CAP_BPF and CAP_PERFMON but" : "as root, yet",
			 geteuid() ? "run it as root" :
			 "add CAP_SYS_ADMIN to its capability bounding set (CapabilityBoundingSet= "
			 "in a systemd unit)");
	} else if (f->step == DIAG_RINGS && f->err == EPERM && !f->cap_ipc_lock &&
		   f->perf_mlock_kb >= 0 && f->ncpus > 0 && f->pages > 0) {
		explain_ring_budget(f, buf, len);
	} else {
		snprintf(buf, len, "%s: %s, with the capabilities it needs, outside any seccomp "
			 "filter: a security module (SELinux, AppArmor) may forbid it (run with "
			 "--verbose for libbpf's log)", what_failed(f->step), strerror(f->err));
	}
	return true;
}

bool diag_explain(const struct diag_facts *f, char *buf, size_t len)
{
	if (f->step == DIAG_START)
		return explain_start(f, buf, len);
	if (explain_nofile(f, buf, len) || explain_perm(f, buf, len))
		return true;
	if (!strcmp(f->lockdown, "confidentiality") || f->log_read_kernel_refused) {
		if (f->lockdown_unknown)
			snprintf(buf, len, "%s: %s: the kernel refused bpf_probe_read_kernel(), "
				 "as it does under kernel lockdown in confidentiality mode, which "
				 "execmon can't trace under (%s can't be read: mount securityfs "
				 "there to see the mode); lockdown can only be lowered at boot",
				 what_failed(f->step), strerror(f->err), LOCKDOWN_FILE);
		else
			snprintf(buf, len, "%s: %s: kernel lockdown is in %s mode (%s), and the "
				 "kernel refused bpf_probe_read_kernel(): execmon can't trace "
				 "under it; lockdown can only be lowered at boot",
				 what_failed(f->step), strerror(f->err), f->lockdown, LOCKDOWN_FILE);
	} else if (f->step == DIAG_LOAD && f->tp_btf_no_type) {
		snprintf(buf, len, "%s: %s: the kernel's BTF has no sched_process_exec "
			 "tracepoint (%s in %s); execmon needs Linux 5.10 or later, built with "
			 "CONFIG_DEBUG_INFO_BTF=y (this is %s)", what_failed(f->step),
			 strerror(f->err), TRACEPOINT_TYPE, BTF_FILE, f->release);
	} else if (f->step == DIAG_LOAD && f->tp_btf_err > 0) {
		snprintf(buf, len, "%s: %s: this kernel refuses programs on BTF-enabled "
			 "tracepoints (tp_btf: %s), which came in Linux 5.5; execmon needs Linux "
			 "5.10 or later, built with CONFIG_DEBUG_INFO_BTF=y (this is %s)",
			 what_failed(f->step), strerror(f->err), strerror(f->tp_btf_err), f->release);
	} else if (f->step == DIAG_LOAD) {
		snprintf(buf, len, "%s: %s (run with --verbose for the verifier's log)",
			 what_failed(f->step), strerror(f->err));
	} else {
		snprintf(buf, len, "%s: %s", what_failed(f->step), strerror(f->err));
	}
	return true;
}

int diag_preflight(void)
{
	struct diag_facts f;
	char msg[1024];

	gather(&f, DIAG_START, 0);
	if (!diag_explain(&f, msg, sizeof(msg)))
		return 0;
	p_err("%s", msg);
	return 1;
}

void diag_failed(enum diag_step step, int err)
{
	struct diag_facts f;
	char msg[1024];

	gather(&f, step, err);
	diag_explain(&f, msg, sizeof(msg));
	p_err("%s", msg);
}

__attribute__((format(printf, 2, 0)))
int diag_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	va_list copy;
	char *s;

	/* the verifier's log comes as one long message */
	va_copy(copy, args);
	if (vasprintf(&s, fmt, copy) >= 0) {
		if (refuses_read_kernel(s))
			read_kernel_refused = true;
		free(s);
	}
	va_end(copy);
	if (!options.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}
