/*
 * shm_floor: what the system calls behind pyshm's operations cost on this machine, for
 * bench/compare. Built there with `gcc -O2 -o target/bench/shm_floor bench/c/shm_floor.c`.
 *
 *   shm_floor create REPEATS NUMBER [SIZE [touch|pwrite]]
 *                                                 create cycle (default 4096 bytes): shm_open(O_CREAT|
 *                                                 O_EXCL|O_RDWR, 0600), ftruncate, [pwrite SIZE
 *                                                 bytes,] fstat, mmap, [write one byte per page,]
 *                                                 munmap, close, shm_unlink (pyshm: create + close
 *                                                 + unlink; pwrite: ShareableList's create)
 *   shm_floor attach REPEATS NUMBER               attach cycle of a 4 KiB block it creates:
 *                                                 shm_open(O_RDWR), fstat, mmap, munmap, close
 *   shm_floor sum NAME MAPPING REPEATS            8-byte sum over block NAME
 *   shm_floor memcpy NAME MAPPING CHUNK REPEATS   memcpy of block NAME into a reused private
 *                                                 buffer of CHUNK bytes, chunk after chunk
 *   shm_floor syscall REPEATS NUMBER              one raw getpid system call
 *   shm_floor touch REPEATS PAGES                 first write to each page of a new block
 *                                                 (seconds per page)
 *
 * MAPPING: prefaulted (one mapping, every page touched before timing), fresh (shm_open, fstat,
 * mmap, read, munmap, close on every pass: each page takes a minor fault) or populate (fresh
 * with MAP_POPULATE). The destination of memcpy is touched before timing.
 *
 * Prints one JSON object: {"op": ..., "seconds_per_op": [one value per repeat], ...}. Each
 * repeat of create/attach times NUMBER cycles; each repeat of sum/memcpy is one pass.
 * Exit status 1 with a message on stderr when a call fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what, const char *name) {
    fprintf(stderr, "shm_floor: %s(%s): %s\n", what, name ? name : "", strerror(errno));
    exit(1);
}

static void print_times(const char *op, const char *extra, const double *t, int n) {
    printf("{\"op\": \"%s\"%s, \"seconds_per_op\": [", op, extra);
    for (int i = 0; i < n; i++) {
        printf("%s%.9g", i ? ", " : "", t[i]);
    }
    printf("]}\n");
}

/* Keeps results alive without a store the compiler could drop. */
static volatile uint64_t sink;

static void create_cycle(const char *name, long size, int touch, const char *content) {
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0) die("shm_open", name);
    if (ftruncate(fd, size) != 0) die("ftruncate", name);
    if (content && pwrite(fd, content, size, 0) != size) die("pwrite", name);
    struct stat st;
    if (fstat(fd, &st) != 0) die("fstat", name);
    void *p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) die("mmap", name);
    if (touch) {
        for (long at = 0; at < st.st_size; at += 4096) ((volatile char *) p)[at] = 1;
    }
    if (munmap(p, st.st_size) != 0) die("munmap", name);
    close(fd);
    if (shm_unlink(name) != 0) die("shm_unlink", name);
}

static void attach_cycle(const char *name) {
    int fd = shm_open(name, O_RDWR, 0);
    if (fd < 0) die("shm_open", name);
    struct stat st;
    if (fstat(fd, &st) != 0) die("fstat", name);
    void *p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) die("mmap", name);
    if (munmap(p, st.st_size) != 0) die("munmap", name);
    close(fd);
}

static int cycles(int argc, char **argv, int attach) {
    if (argc < 4 || argc > (attach ? 4 : 6)) return 2;
    int repeats = atoi(argv[2]);
    long number = atol(argv[3]);
    long size = argc > 4 ? atol(argv[4]) : 4096;
    int touch = argc > 5 && strcmp(argv[5], "touch") == 0;
    int use_pwrite = argc > 5 && strcmp(argv[5], "pwrite") == 0;
    if (argc > 5 && !touch && !use_pwrite) return 2;
    char *content = NULL;
    if (use_pwrite) {
        content = malloc(size);
        if (!content) die("malloc", "image");
        for (long i = 0; i < size; i++) content[i] = (char) (i * 31 + 7); /* not zeros: a real image */
    }
    char name[64];
    snprintf(name, sizeof name, "/pyshm_bench_floor_%d", (int) getpid());
    if (attach) {
        int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
        if (fd < 0 || ftruncate(fd, 4096) != 0) die("create", name);
        close(fd);
    }
    double *t = calloc(repeats, sizeof *t);
    for (int r = 0; r < repeats; r++) {
        double t0 = now();
        for (long i = 0; i < number; i++) {
            if (attach) attach_cycle(name); else create_cycle(name, size, touch, content);
        }
        t[r] = (now() - t0) / number;
    }
    if (attach) shm_unlink(name);
    char extra[100];
    snprintf(extra, sizeof extra, ", \"size\": %ld, \"touch\": %s, \"pwrite\": %s", size,
             touch ? "true" : "false", use_pwrite ? "true" : "false");
    free(content);
    print_times(attach ? "attach" : "create", extra, t, repeats);
    return 0;
}

struct mapped { void *p; size_t size; };

static struct mapped map_block(const char *name, int populate) {
    int fd = shm_open(name, O_RDWR, 0);
    if (fd < 0) die("shm_open", name);
    struct stat st;
    if (fstat(fd, &st) != 0) die("fstat", name);
    void *p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED | (populate ? MAP_POPULATE : 0), fd, 0);
    if (p == MAP_FAILED) die("mmap", name);
    close(fd);
    struct mapped m = { p, (size_t) st.st_size };
    return m;
}

static uint64_t sum_words(const void *p, size_t size) {
    const uint64_t *w = p;
    uint64_t s = 0;
    for (size_t i = 0; i < size / 8; i++) s += w[i];
    return s;
}

static void copy_chunks(const char *p, size_t size, char *dst, size_t chunk) {
    for (size_t at = 0; at < size; at += chunk) {
        memcpy(dst, p + at, chunk);
        __asm__ __volatile__("" : : "r"(dst) : "memory"); /* the copy must happen */
    }
}

static int reads(int argc, char **argv, int copy) {
    if (argc != (copy ? 6 : 5)) return 2;
    const char *block = argv[2];
    const char *mapping = argv[3];
    size_t chunk = copy ? strtoull(argv[4], NULL, 10) : 0;
    int repeats = atoi(argv[copy ? 5 : 4]);
    int prefaulted = strcmp(mapping, "prefaulted") == 0;
    int populate = strcmp(mapping, "populate") == 0;
    if (!prefaulted && !populate && strcmp(mapping, "fresh") != 0) return 2;
    char name[300];
    snprintf(name, sizeof name, "/%s", block);
    struct mapped held = { NULL, 0 };
    if (prefaulted) {
        held = map_block(name, 0);
        sink += sum_words(held.p, held.size); /* touch every page */
    }
    char *dst = NULL;
    if (copy) {
        dst = malloc(chunk);
        if (!dst) die("malloc", "");
        memset(dst, 1, chunk);
    }
    double *t = calloc(repeats, sizeof *t);
    for (int r = 0; r < repeats; r++) {
        double t0 = now();
        struct mapped m = prefaulted ? held : map_block(name, populate);
        if (copy) {
            if (m.size % chunk != 0) { fprintf(stderr, "shm_floor: size %zu is not a multiple of chunk %zu\n", m.size, chunk); return 1; }
            copy_chunks(m.p, m.size, dst, chunk);
        } else {
            sink += sum_words(m.p, m.size);
        }
        if (!prefaulted && munmap(m.p, m.size) != 0) die("munmap", name);
        t[r] = now() - t0;
    }
    char extra[200];
    snprintf(extra, sizeof extra, ", \"mapping\": \"%s\", \"chunk\": %zu, \"bytes\": %zu", mapping, chunk,
             prefaulted ? held.size : (size_t) 0);
    print_times(copy ? "memcpy" : "sum", extra, t, repeats);
    return 0;
}

static int syscalls(int argc, char **argv) {
    if (argc != 4) return 2;
    int repeats = atoi(argv[2]);
    long number = atol(argv[3]);
    double *t = calloc(repeats, sizeof *t);
    for (int r = 0; r < repeats; r++) {
        double t0 = now();
        for (long i = 0; i < number; i++) sink += syscall(SYS_getpid);
        t[r] = (now() - t0) / number;
    }
    print_times("syscall", "", t, repeats);
    return 0;
}

static int touches(int argc, char **argv) {
    if (argc != 4) return 2;
    int repeats = atoi(argv[2]);
    long pages = atol(argv[3]);
    char name[64];
    snprintf(name, sizeof name, "/pyshm_bench_touch_%d", (int) getpid());
    double *t = calloc(repeats, sizeof *t);
    for (int r = 0; r < repeats; r++) {
        int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
        if (fd < 0) die("shm_open", name);
        if (ftruncate(fd, pages * 4096) != 0) die("ftruncate", name);
        char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) die("mmap", name);
        close(fd);
        double t0 = now();
        for (long i = 0; i < pages; i++) ((volatile char *) p)[i * 4096] = 1;
        t[r] = (now() - t0) / pages;
        munmap(p, pages * 4096);
        if (shm_unlink(name) != 0) die("shm_unlink", name);
    }
    print_times("touch", "", t, repeats);
    return 0;
}

int main(int argc, char **argv) {
    int rc = 2;
    if (argc >= 2 && strcmp(argv[1], "create") == 0) rc = cycles(argc, argv, 0);
    else if (argc >= 2 && strcmp(argv[1], "attach") == 0) rc = cycles(argc, argv, 1);
    else if (argc >= 2 && strcmp(argv[1], "sum") == 0) rc = reads(argc, argv, 0);
    else if (argc >= 2 && strcmp(argv[1], "memcpy") == 0) rc = reads(argc, argv, 1);
    else if (argc >= 2 && strcmp(argv[1], "syscall") == 0) rc = syscalls(argc, argv);
    else if (argc >= 2 && strcmp(argv[1], "touch") == 0) rc = touches(argc, argv);
    if (rc == 2) {
        fprintf(stderr, "usage: shm_floor create REPEATS NUMBER [SIZE [touch|pwrite]]\n"
                        "       shm_floor attach|syscall REPEATS NUMBER\n"
                        "       shm_floor touch REPEATS PAGES\n"
                        "       shm_floor sum NAME prefaulted|fresh|populate REPEATS\n"
                        "       shm_floor memcpy NAME prefaulted|fresh|populate CHUNK REPEATS\n");
    }
    return rc;
}
