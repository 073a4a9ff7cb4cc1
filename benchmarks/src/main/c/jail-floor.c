/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/*
 * The kernel's floor under a jailed stat, with no engine and no JVM: one thread, every name of a
 * list (relative to ROOT, "dir/file") stat'ed per pass in three ways, median ns per stat over the passes:
 *   abs     statx(AT_FDCWD, "ROOT/dir/file"): what an unjailed stat costs;
 *   beneath openat2(root, "dir/file", O_PATH, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), statx(fd, "",
 *           AT_EMPTY_PATH), close: the cheapest race-free stat of a path below a directory;
 *   onename statx(dirfd, "file", AT_SYMLINK_NOFOLLOW) on a descriptor held per directory: a name
 *           directly in its jail's directory, which cannot leave it.
 * Usage: jail-floor ROOT NAMES-FILE PASSES. Prints one line: "abs N beneath N onename N".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void fail(const char *what, const char *name) {
    perror(what);
    fprintf(stderr, "jail-floor: %s failed on %s\n", what, name);
    exit(1);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: jail-floor ROOT NAMES-FILE PASSES\n");
        return 2;
    }
    const char *root = argv[1];
    int passes = atoi(argv[3]);
    FILE *in = fopen(argv[2], "r");
    if (!in || passes < 1) {
        fail("names file", argv[2]);
    }
    size_t n = 0, cap = 1024;
    char **rel = malloc(cap * sizeof *rel), **abs = malloc(cap * sizeof *abs), **leaf = malloc(cap * sizeof *leaf);
    int *dirfd = malloc(cap * sizeof *dirfd);
    char line[4096], prevdir[4096] = "";
    int prevfd = -1;
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\n")] = 0;
        if (n == cap) {
            cap *= 2;
            rel = realloc(rel, cap * sizeof *rel);
            abs = realloc(abs, cap * sizeof *abs);
            leaf = realloc(leaf, cap * sizeof *leaf);
            dirfd = realloc(dirfd, cap * sizeof *dirfd);
        }
        rel[n] = strdup(line);
        abs[n] = malloc(strlen(root) + strlen(line) + 2);
        sprintf(abs[n], "%s/%s", root, line);
        char *slash = strrchr(rel[n], '/');
        leaf[n] = slash ? slash + 1 : rel[n];
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%.*s", root, slash ? (int) (slash - rel[n]) : 0, rel[n]);
        if (strcmp(dir, prevdir) != 0) {
            prevfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (prevfd < 0) {
                fail("open", dir);
            }
            strcpy(prevdir, dir);
        }
        dirfd[n] = prevfd;
        n++;
    }
    int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) {
        fail("open", root);
    }
    struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    struct statx sx;
    double *t[3];
    for (int k = 0; k < 3; k++) {
        t[k] = malloc(passes * sizeof(double));
    }
    for (int p = 0; p < passes; p++) {
        for (int k = 0; k < 3; k++) {
            int v = (k + p) % 3; /* each pass starts with another variant */
            double t0 = now_ns();
            for (size_t i = 0; i < n; i++) {
                if (v == 0) {
                    if (statx(AT_FDCWD, abs[i], 0, STATX_BASIC_STATS, &sx) != 0) fail("statx", abs[i]);
                } else if (v == 1) {
                    int fd = (int) syscall(SYS_openat2, rootfd, rel[i], &how, sizeof how);
                    if (fd < 0) fail("openat2", rel[i]);
                    if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx) != 0) fail("statx", rel[i]);
                    close(fd);
                } else {
                    if (statx(dirfd[i], leaf[i], AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) != 0) fail("statx", leaf[i]);
                }
            }
            t[v][p] = (now_ns() - t0) / n;
        }
    }
    printf("abs %.1f beneath %.1f onename %.1f\n", median(t[0], passes), median(t[1], passes), median(t[2], passes));
    return 0;
}
