// SPDX-License-Identifier: GPL-2.0-only
/*
 * dcd-memcheck: prove that memory a DCD device added holds data.
 *
 *   dcd-memcheck dax /dev/daxX.Y MIB   map MIB of a devdax device, fill it
 *                                      with a pattern, read it back
 *   dcd-memcheck node N MIB            allocate MIB bound to NUMA node N
 *                                      (system RAM from dax_kmem), check
 *                                      that every page landed on N, fill
 *                                      it and read it back
 *   dcd-memcheck pin N MIB             allocate MIB on node N as above,
 *                                      hold references to the pages of its
 *                                      first 64 KiB in a pipe (vmsplice),
 *                                      so that they cannot migrate and the
 *                                      memory cannot go offline, print
 *                                      "pinned" and wait to be killed
 *   dcd-memcheck hold /dev/daxX.Y MIB  map MIB of a devdax device, read a
 *                                      byte of each 2 MiB (faulting it in),
 *                                      print "mapped N", wait for SIGUSR1,
 *                                      then read each again and print
 *                                      "sigbus K of N:" and the index of
 *                                      each 2 MiB that raised SIGBUS
 *   dcd-memcheck sweep /dev/daxX.Y MIB map MIB of a devdax device, read a
 *                                      byte of each 2 MiB (one fault each),
 *                                      print "sweep N faults in T us"
 *
 * Prints one line with what it checked and exits 0, or names the first
 * mismatch and exits 1 (2 for usage and setup errors).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define DAX_ALIGN (2ul << 20)
#define MPOL_BIND 2
#define MPOL_MF_STRICT (1 << 0)
#define MPOL_MF_MOVE (1 << 1)
#define MPOL_F_NODE (1 << 0)
#define MPOL_F_ADDR (1 << 1)

static int fill_and_check(uint64_t *p, size_t len, uint64_t seed)
{
	size_t n = len / sizeof(*p), i;

	for (i = 0; i < n; i++)
		p[i] = seed ^ (i * 0x9e3779b97f4a7c15ull);
	for (i = 0; i < n; i++) {
		if (p[i] != (seed ^ (i * 0x9e3779b97f4a7c15ull))) {
			fprintf(stderr, "mismatch at byte %zu\n", i * sizeof(*p));
			return 1;
		}
	}
	return 0;
}

/* map_dax: LEN of the devdax device PATH, shared, or NULL */
static void *map_dax(const char *path, size_t len)
{
	void *p;
	int fd;

	fd = open(path, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	/* device-dax wants the mapping aligned to its alignment (2 MiB here) */
	p = mmap(NULL, len + DAX_ALIGN, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED) {
		char *a = (char *)(((uintptr_t)p + DAX_ALIGN - 1) &
				   ~(uintptr_t)(DAX_ALIGN - 1));

		p = mmap(a, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			 fd, 0);
	}
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "mmap %s: %s\n", path, strerror(errno));
		return NULL;
	}
	return p;
}

static int check_dax(const char *path, size_t len)
{
	void *p = map_dax(path, len);

	if (!p)
		return 2;
	if (fill_and_check(p, len, 0x5a5a5a5a12345678ull))
		return 1;
	printf("%s: wrote and read back %zu MiB\n", path, len >> 20);
	munmap(p, len);
	return 0;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ull + ts.tv_nsec / 1000;
}

/* Time the faults of a first touch of each 2 MiB of a devdax device */
static int sweep_dax(const char *path, size_t len)
{
	volatile uint8_t *p = map_dax(path, len);
	size_t i, n = len / DAX_ALIGN;
	uint64_t t0, t1;
	uint8_t sum = 0;

	if (!p)
		return 2;
	t0 = now_us();
	for (i = 0; i < n; i++)
		sum += p[i * DAX_ALIGN];
	t1 = now_us();
	printf("sweep %zu faults in %llu us (%llu ns each, sum %u)\n", n,
	       (unsigned long long)(t1 - t0),
	       (unsigned long long)(n ? (t1 - t0) * 1000 / n : 0), sum);
	munmap((void *)p, len);
	return 0;
}

static sigjmp_buf bus_jmp;
static volatile sig_atomic_t go;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

static void on_sigusr1(int sig)
{
	(void)sig;
	go = 1;
}

static int hold_dax(const char *path, size_t len)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	volatile uint8_t *p = map_dax(path, len);
	size_t n = len / DAX_ALIGN;
	volatile size_t i, bad = 0;
	sigset_t block, old;

	if (!p)
		return 2;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGUSR1, &sa, NULL);
	for (i = 0; i < n; i++)
		(void)p[i * DAX_ALIGN];
	printf("mapped %zu\n", n);
	fflush(stdout);
	while (!go)
		sigsuspend(&old);

	sa.sa_handler = on_sigbus;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
	printf("sigbus");
	for (i = 0; i < n; i++) {
		if (sigsetjmp(bus_jmp, 1)) {
			bad++;
			printf(" %zu", (size_t)i);
			continue;
		}
		(void)p[i * DAX_ALIGN];
	}
	printf(" (%zu of %zu)\n", (size_t)bad, n);
	return 0;
}

static int check_node(int node, size_t len, int pin)
{
	unsigned long mask[16] = { 0 };
	long page = sysconf(_SC_PAGESIZE);
	size_t off;
	char *p;

	if (node < 0 || node >= (int)(sizeof(mask) * 8)) {
		fprintf(stderr, "node %d out of range\n", node);
		return 2;
	}
	mask[node / (8 * sizeof(long))] = 1ul << (node % (8 * sizeof(long)));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "mmap: %s\n", strerror(errno));
		return 2;
	}
	if (syscall(SYS_mbind, p, len, MPOL_BIND, mask, sizeof(mask) * 8,
		    MPOL_MF_STRICT | MPOL_MF_MOVE)) {
		fprintf(stderr, "mbind to node %d: %s\n", node, strerror(errno));
		return 2;
	}
	if (fill_and_check((uint64_t *)p, len, 0xa5a5a5a587654321ull))
		return 1;
	for (off = 0; off < len; off += page) {
		int where = -1;

		if (syscall(SYS_get_mempolicy, &where, NULL, 0, p + off,
			    MPOL_F_NODE | MPOL_F_ADDR)) {
			fprintf(stderr, "get_mempolicy: %s\n", strerror(errno));
			return 2;
		}
		if (where != node) {
			fprintf(stderr, "page at +%zu is on node %d, not %d\n",
				off, where, node);
			return 1;
		}
	}
	if (pin) {
		struct iovec iov = { .iov_base = p, .iov_len = 64 << 10 };
		int fds[2];

		if (len < iov.iov_len) {
			fprintf(stderr, "pin wants at least 1 MiB\n");
			return 2;
		}
		/* the pipe holds a reference to each page until it is read */
		if (pipe(fds) ||
		    vmsplice(fds[1], &iov, 1, SPLICE_F_NONBLOCK) != (ssize_t)iov.iov_len) {
			fprintf(stderr, "vmsplice: %s\n", strerror(errno));
			return 2;
		}
		printf("pinned %zu KiB on node %d\n", iov.iov_len >> 10, node);
		fflush(stdout);
		for (;;)
			pause();
	}
	printf("node %d: wrote and read back %zu MiB, every page on node %d\n",
	       node, len >> 20, node);
	munmap(p, len);
	return 0;
}

int main(int argc, char **argv)
{
	size_t len;

	if (argc != 4) {
		fprintf(stderr, "usage: %s dax|hold|sweep /dev/daxX.Y MIB | node|pin N MIB\n",
			argv[0]);
		return 2;
	}
	len = strtoull(argv[3], NULL, 0) << 20;
	if (!len) {
		fprintf(stderr, "size must be at least 1 MiB\n");
		return 2;
	}
	if (!strcmp(argv[1], "dax"))
		return check_dax(argv[2], len);
	if (!strcmp(argv[1], "hold"))
		return hold_dax(argv[2], len);
	if (!strcmp(argv[1], "sweep"))
		return sweep_dax(argv[2], len);
	if (!strcmp(argv[1], "node"))
		return check_node(atoi(argv[2]), len, 0);
	if (!strcmp(argv[1], "pin"))
		return check_node(atoi(argv[2]), len, 1);
	fprintf(stderr, "unknown mode %s\n", argv[1]);
	return 2;
}
