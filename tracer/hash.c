// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <openssl/evp.h>
#include "clock.h"
#include "hash.h"

/* The file as the kernel saw it at the exec. */
struct hash_key {
	__u64 ino, size;
	__s64 ctime_sec;
	__u32 ctime_nsec, dev;	/* dev: the kernel's MAJOR << 20 | MINOR */
};

enum { E_FREE, E_PENDING, E_DONE };

struct entry {
	struct hash_key key;
	int state;
	const char *error;	/* E_DONE: NULL, or why there is no digest */
	__u64 retry_ns;		/* E_DONE with an error: not read again before */
	char hex[65];
	int next;		/* the bucket's next entry, or -1 */
};

struct job {
	struct hash_key key;
	__u32 pid;
	char *path;		/* the recorded path, or NULL */
};

#define BUCKETS		(HASH_CACHE_ENTRIES * 2)
#define READ_BUF	(1 << 20)

/* Everything below is the mutex's: the reader thread looks up and queues,
 * the worker hashes and fills in. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t job_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cv;
static bool started;
static struct entry entries[HASH_CACHE_ENTRIES];
static int buckets[BUCKETS];
static int oldest;		/* the next entry to reuse, in FIFO order */
static struct job queue[HASH_QUEUE];
static int q_head, q_len;
static struct hash_stats counts;
static bool enabled;		/* --hash */

static unsigned int bucket_of(const struct hash_key *k)
{
	__u64 h = k->ino * 0x9e3779b97f4a7c15ULL ^ k->dev ^ (__u64)k->ctime_nsec << 17 ^
		  k->size * 0xc2b2ae3d27d4eb4fULL ^ (__u64)k->ctime_sec;

	return (h ^ h >> 29) % BUCKETS;
}

static bool same_key(const struct hash_key *a, const struct hash_key *b)
{
	return a->ino == b->ino && a->size == b->size && a->dev == b->dev &&
	       a->ctime_sec == b->ctime_sec && a->ctime_nsec == b->ctime_nsec;
}

static struct entry *find(const struct hash_key *k)
{
	for (int i = buckets[bucket_of(k)]; i >= 0; i = entries[i].next)
		if (same_key(&entries[i].key, k))
			return &entries[i];
	return NULL;
}

/* A new entry for k: the oldest one's place, taken out of its bucket. */
static struct entry *insert(const struct hash_key *k)
{
	int i = oldest;
	struct entry *e = &entries[i];
	unsigned int b;

	oldest = (oldest + 1) % HASH_CACHE_ENTRIES;
	if (e->state != E_FREE) {
		for (int *p = &buckets[bucket_of(&e->key)]; *p >= 0; p = &entries[*p].next)
			if (*p == i) {
				*p = e->next;
				break;
			}
	}
	b = bucket_of(k);
	*e = (struct entry){ .key = *k, .state = E_FREE, .next = buckets[b] };
	buckets[b] = i;
	return e;
}

/* The kernel's MAJOR << 20 | MINOR of a device number. */
static __u32 kdev(unsigned int maj, unsigned int min)
{
	return (__u32)maj << 20 | (__u32)min;
}

/*
 * Whether the mount that fd is open on has the device dev, as the kernel
 * reads it from the file's inode: the mount's line in mountinfo (of the
 * namespace the fd was opened in) says it. On overlayfs with layers on
 * different filesystems, stat(2) gives a file of a lower layer a device
 * of that layer's own instead of the overlay's. (statx for the mount's
 * id: fdinfo, which has it too, is not ours to read on 5.10 once the
 * privileges are dropped.)
 */
static bool mount_has_dev(int fd, const char *mountinfo, __u32 dev)
{
	unsigned int maj, min;
	struct statx stx;
	char *line = NULL;
	size_t cap = 0;
	bool found = false;
	FILE *fp;
	__u64 id;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) || !(stx.stx_mask & STATX_MNT_ID))
		return false;
	fp = fopen(mountinfo, "re");
	while (fp && !found && getline(&line, &cap, fp) > 0)
		found = sscanf(line, "%llu %*u %u:%u", (unsigned long long *)&id, &maj, &min) == 3 &&
			id == stx.stx_mnt_id && kdev(maj, min) == dev;
	if (fp)
		fclose(fp);
	free(line);
	return found;
}

/* Whether st is the file the kernel saw; dev_ok: its device was found to
 * be the kernel's by its mount (mount_has_dev()). */
static bool same_file(const struct stat *st, const struct hash_key *k, bool dev_ok)
{
	return (__u64)st->st_ino == k->ino && (__u64)st->st_size == k->size &&
	       (dev_ok || kdev(major(st->st_dev), minor(st->st_dev)) == k->dev) &&
	       st->st_ctim.tv_sec == k->ctime_sec && (__u32)st->st_ctim.tv_nsec == k->ctime_nsec;
}

/* The digest of the open file fd into hex, or why not; mountinfo: where
 * the mount it is open on is listed. */
static const char *hash_fd(int fd, const char *mountinfo, const struct hash_key *k,
			   unsigned char *buf, char *hex)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	const char *why = NULL;
	struct stat st;
	__u64 total = 0;
	bool dev_ok = false;
	EVP_MD_CTX *ctx;
	ssize_t n;

	if (fstat(fd, &st))
		return "unreadable";
	if (!S_ISREG(st.st_mode))
		return "not-a-file";
	/* the rest first: the mount is looked up only for a file that is
	 * the kernel's in all but stat's device */
	if (!same_file(&st, k, true))
		return "changed";
	if (kdev(major(st.st_dev), minor(st.st_dev)) != k->dev) {
		if (!mount_has_dev(fd, mountinfo, k->dev))
			return "changed";
		dev_ok = true;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		return "no-memory";
	}
	while (!why && (n = read(fd, buf, READ_BUF)) != 0) {
		if (n < 0) {
			if (errno != EINTR)
				why = "unreadable";
			continue;
		}
		if (!EVP_DigestUpdate(ctx, buf, n))
			why = "no-memory";
		total += n;
	}
	/* written to while it was read: the bytes may be of no one version */
	if (!why && (total != k->size || fstat(fd, &st) || !same_file(&st, k, dev_ok)))
		why = "changed";
	if (!why && (!EVP_DigestFinal_ex(ctx, digest, &len) || len != 32))
		why = "no-memory";
	EVP_MD_CTX_free(ctx);
	if (why)
		return why;
	for (unsigned int i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return NULL;
}

/* Opens the file that ran: as /proc/PID/exe while the process lives (a
 * memfd or a deleted file has no other name), else by its recorded path.
 * The first digest of the very file wins; else the most telling reason. */
static const char *hash_job(const struct job *j, unsigned char *buf, char *hex)
{
	const int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
	bool changed = false, denied = false, not_file = false;
	char proc[32], mounts[40];
	const char *names[2] = { proc, j->path };
	/* /proc/PID/exe is open on a mount of the process's namespace */
	const char *mountinfo[2] = { mounts, "/proc/self/mountinfo" };

	snprintf(proc, sizeof(proc), "/proc/%u/exe", j->pid);
	snprintf(mounts, sizeof(mounts), "/proc/%u/mountinfo", j->pid);
	for (int i = 0; i < 2; i++) {
		const char *why;
		int fd;

		if (!names[i])
			continue;
		/* the recorded path is resolved: a link at its end is not the file */
		fd = open(names[i], i ? flags | O_NOFOLLOW : flags);
		if (fd < 0) {
			if (errno == EACCES || errno == EPERM)
				denied = true;
			else if (errno == ELOOP)
				changed = true;
			continue;
		}
		why = hash_fd(fd, mountinfo[i], &j->key, buf, hex);
		close(fd);
		if (!why)
			return NULL;
		if (!strcmp(why, "unreadable"))
			return why;
		changed |= !strcmp(why, "changed");
		not_file |= !strcmp(why, "not-a-file");
	}
	return changed ? "changed" : denied ? "unreadable" : not_file ? "not-a-file" : "gone";
}

static void *worker(void *arg)
{
	unsigned char *buf = malloc(READ_BUF);

	(void)arg;
	for (;;) {
		struct job j;
		const char *why;
		struct entry *e;
		char hex[65] = "";

		pthread_mutex_lock(&lock);
		while (!q_len)
			pthread_cond_wait(&job_cv, &lock);
		j = queue[q_head];
		q_head = (q_head + 1) % HASH_QUEUE;
		q_len--;
		pthread_mutex_unlock(&lock);

		why = buf ? hash_job(&j, buf, hex) : "unreadable";
		free(j.path);

		pthread_mutex_lock(&lock);
		if (why)
			counts.failed++;
		else
			counts.hashed++;
		/* forgotten meanwhile if 4096 other files came after it */
		e = find(&j.key);
		if (e && e->state == E_PENDING) {
			e->state = E_DONE;
			e->error = why;
			e->retry_ns = why ? kernel_now_ns() + HASH_RETRY_MS * 1000000ULL : 0;
			memcpy(e->hex, hex, sizeof(hex));
		}
		pthread_cond_broadcast(&done_cv);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

/* The worker starts with the first file, after execmon has dropped its
 * privileges: capabilities are a thread's own, and a thread made before
 * the drop would keep them. Its signals are the main thread's. */
static bool start(void)
{
	pthread_condattr_t ca;
	pthread_t th;
	sigset_t all, old;
	int err;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&done_cv, &ca);
	pthread_condattr_destroy(&ca);
	for (int i = 0; i < BUCKETS; i++)
		buckets[i] = -1;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&th, NULL, worker, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return false;
	pthread_detach(th);
	started = true;
	return true;
}

static void wait_done(const struct hash_key *k, struct hash_result *r)
{
	struct timespec until;
	struct entry *e;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += HASH_WAIT_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	while ((e = find(k)) && e->state == E_PENDING)
		if (pthread_cond_timedwait(&done_cv, &lock, &until) == ETIMEDOUT)
			break;
	if (!e || e->state != E_DONE) {
		r->error = "timeout";
		counts.timeouts++;
	} else if (e->error) {
		r->error = e->error;
	} else {
		memcpy(r->hex, e->hex, sizeof(r->hex));
	}
}

static void lookup(const struct exec_record *rec, struct hash_result *r)
{
	const struct event *h = &rec->hdr;
	struct hash_key k = {
		.ino = h->exe_ino, .size = h->exe_size, .dev = h->exe_dev,
		.ctime_sec = h->exe_ctime_sec, .ctime_nsec = h->exe_ctime_nsec,
	};
	struct entry *e;

	pthread_mutex_lock(&lock);
	if (!started && !start()) {
		r->error = "unreadable";
		goto out;
	}
	e = find(&k);
	if (e && e->state == E_DONE && !e->error) {
		counts.hits++;
		memcpy(r->hex, e->hex, sizeof(r->hex));
		goto out;
	}
	/* a file that failed keeps its reason for a while: an unreadable
	 * program run in a loop is not tried again at each of its execs */
	if (e && e->state == E_DONE && kernel_now_ns() < e->retry_ns) {
		r->error = e->error;
		goto out;
	}
	if (!e || e->state != E_PENDING) {
		/* past that, it may do better by this exec's process */
		struct job *j;

		if (q_len == HASH_QUEUE) {
			r->error = "timeout";
			counts.timeouts++;
			goto out;
		}
		if (!e)
			e = insert(&k);
		e->state = E_PENDING;
		j = &queue[(q_head + q_len++) % HASH_QUEUE];
		*j = (struct job){ .key = k, .pid = h->pid };
		/* a path that names the file, not a memfd's or a deleted one's */
		if (exe_kind_of(h->flags) == EXE_KIND_FILE && !(h->flags & EV_EXE_TRUNCATED) &&
		    rec->exe_len && rec->exe[0] == '/')
			j->path = strndup(rec->exe, rec->exe_len);
		pthread_cond_signal(&job_cv);
	}
	wait_done(&k, r);
out:
	pthread_mutex_unlock(&lock);
}

const struct hash_result *hash_of(const struct exec_record *rec)
{
	static struct hash_result r;
	static const struct exec_record *last;
	static __u64 last_ts;
	static __u32 last_pid;

	/* JSON and the journal ask twice, for the digest and for the error */
	if (rec == last && rec->hdr.ts_ns == last_ts && rec->hdr.pid == last_pid)
		return &r;
	last = rec;
	last_ts = rec->hdr.ts_ns;
	last_pid = rec->hdr.pid;
	memset(&r, 0, sizeof(r));
	if (!enabled || rec->hdr.kind != EV_KIND_EXEC || !(rec->hdr.flags & EV_EXE_ID))
		r.none = true;
	else
		lookup(rec, &r);
	return &r;
}

void hash_enable(void)
{
	enabled = true;
}

void hash_stats(struct hash_stats *st)
{
	pthread_mutex_lock(&lock);
	*st = counts;
	pthread_mutex_unlock(&lock);
}
