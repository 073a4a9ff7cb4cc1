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
 * The kernel's floor under a du of a tree, with no engine and no JVM: THREADS threads share a queue
 * of directories; each takes one, lists it (open + getdents), queues its subdirectories and lstats
 * every other entry, adding up the sizes. MODE says how an entry is stat'ed:
 *   path      fstatat(AT_FDCWD, "DIR/name", AT_SYMLINK_NOFOLLOW): by the whole path, as aio's du in
 *             TreeBench, the Java peers and IO::AIO's script do (the kernel walks every component);
 *   relative  fstatat(dirfd, "name", AT_SYMLINK_NOFOLLOW) on the directory's open descriptor, as
 *             du(1) does (one component).
 * Usage: du-floor ROOT THREADS MODE. Prints the bytes of the non-directories; exits 1 on any error.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static char **queue;
static size_t queued, capacity;
static int busy;         /* threads listing a directory: the walk ends when none is and the queue is empty */
static int relative;
static long long total;
static int failed;

static void push(char *dir) {
    if (queued == capacity) {
        capacity = capacity ? capacity * 2 : 1024;
        queue = realloc(queue, capacity * sizeof *queue);
        if (!queue) {
            perror("realloc");
            exit(1);
        }
    }
    queue[queued++] = dir;
}

static void *walker(void *arg) {
    (void) arg;
    char path[4096];
    long long bytes = 0;
    int errors = 0;
    pthread_mutex_lock(&mu);
    for (;;) {
        while (queued == 0 && busy > 0) {
            pthread_cond_wait(&more, &mu);
        }
        if (queued == 0) {
            break;
        }
        char *dir = queue[--queued];
        busy++;
        pthread_mutex_unlock(&mu);

        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d = fd < 0 ? NULL : fdopendir(fd);
        if (!d) {
            perror(dir);
            errors = 1;
        } else {
            struct dirent *e;
            while ((e = readdir(d))) {
                if (e->d_name[0] == '.' && (e->d_name[1] == 0 || (e->d_name[1] == '.' && e->d_name[2] == 0))) {
                    continue;
                }
                int n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                if (n < 0 || (size_t) n >= sizeof path) {
                    errors = 1;
                    continue;
                }
                struct stat st;
                int isdir = e->d_type == DT_DIR;
                if (e->d_type != DT_DIR) {
                    /* also where the file system leaves d_type DT_UNKNOWN: the lstat tells */
                    int r = relative ? fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW)
                                     : fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW);
                    if (r != 0) {
                        perror(path);
                        errors = 1;
                        continue;
                    }
                    isdir = S_ISDIR(st.st_mode);
                }
                if (isdir) {
                    char *sub = strdup(path);
                    pthread_mutex_lock(&mu);
                    push(sub);
                    pthread_cond_signal(&more);
                    pthread_mutex_unlock(&mu);
                    continue;
                }
                bytes += st.st_size;
            }
            closedir(d);
        }
        free(dir);

        pthread_mutex_lock(&mu);
        busy--;
        if (busy == 0 && queued == 0) {
            pthread_cond_broadcast(&more);
        }
    }
    total += bytes;
    failed |= errors;
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4 || atoi(argv[2]) < 1 || atoi(argv[2]) > 64
            || (strcmp(argv[3], "path") != 0 && strcmp(argv[3], "relative") != 0)) {
        fprintf(stderr, "usage: du-floor ROOT THREADS(1-64) path|relative\n");
        return 2;
    }
    int threads = atoi(argv[2]);
    relative = strcmp(argv[3], "relative") == 0;
    push(strdup(argv[1]));
    pthread_t t[64];
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&t[i], NULL, walker, NULL) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
    }
    printf("%lld\n", total);
    return failed;
}
