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

package org.ioaio.sample.jobs;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.ioaio.AioEngine;
import org.ioaio.AioResult;
import org.ioaio.DirScan;
import org.ioaio.Errno;
import org.ioaio.FileStat;

/**
 * Walks a directory tree the IO::AIO way: {@code aio_scandir} of each directory and {@code
 * aio_lstat} of each non-directory, all members of one {@link WorkGroup} whose feeder keeps at
 * most {@code limit} requests in flight. Symbolic links inside the tree are reported, never
 * followed (scandir lists them as non-directories and lstat does not follow them), so a walk that
 * starts inside the data directory stays inside it. Entries removed while the walk runs are
 * skipped; any other error ends the walk with that error.
 */
final class TreeWalk {

    /** What the walk reports; called on the poller thread, one call at a time, parents before children. */
    interface Visitor {

        /**
         * A directory, {@code rel} relative to the top ({@code ""} for the top itself).
         *
         * @param rel the directory
         */
        default void directory(Path rel) {
        }

        /**
         * A non-directory with its {@code lstat}.
         *
         * @param rel the entry, relative to the top ({@code ""} when the top is not a directory)
         * @param stat its lstat
         */
        default void file(Path rel, FileStat stat) {
        }
    }

    static final Path TOP = Path.of("");

    private final WorkGroup work;
    private final AioEngine engine;
    private final Path top;
    private final boolean followTop;
    private final Visitor visitor;
    private final AtomicLong found;
    private final AtomicLong visited;

    /**
     * A walk of {@code top}.
     *
     * @param work the group to run the requests in
     * @param top the absolute path to walk (already checked to be inside the data directory)
     * @param followTop whether a symbolic link at the top is followed (du, copy) or reported (delete)
     * @param visitor what to tell about each entry
     * @param found counts entries as they are found (a progress total that grows)
     * @param visited counts entries as they are visited
     */
    TreeWalk(WorkGroup work, Path top, boolean followTop, Visitor visitor, AtomicLong found, AtomicLong visited) {
        this.work = work;
        this.engine = work.engine();
        this.top = top;
        this.followTop = followTop;
        this.visitor = visitor;
        this.found = found;
        this.visited = visited;
    }

    /** Starts the walk; the future completes when every request of it is done. */
    CompletableFuture<Void> run() {
        found.incrementAndGet();
        work.add(() -> followTop ? engine.stat(top, this::topStatted) : engine.lstat(top, this::topStatted));
        return work.run();
    }

    /** Cancels the walk's requests. */
    void cancel() {
        work.cancel();
    }

    private void topStatted(AioResult<FileStat> r) {
        if (!r.ok()) {
            work.fail(r);
            return;
        }
        visited.incrementAndGet();
        if (r.value().isDirectory()) {
            visitor.directory(TOP);
            scan(top, TOP);
        } else {
            visitor.file(TOP, r.value());
        }
    }

    private void scan(Path dir, Path rel) {
        work.add(() -> engine.scandir(dir, 4, r -> scanned(dir, rel, r)));
    }

    private void scanned(Path dir, Path rel, AioResult<DirScan> r) {
        if (!r.ok()) {
            if (r.errno() != Errno.ENOENT.code() || rel.equals(TOP)) {
                work.fail(r);
            }
            return;
        }
        DirScan scan = r.value();
        found.addAndGet(scan.dirs().size() + scan.nondirs().size());
        for (Path d : scan.dirs()) {
            Path child = rel.resolve(d);
            visited.incrementAndGet();
            visitor.directory(child);
            scan(dir.resolve(d), child);
        }
        for (Path n : scan.nondirs()) {
            Path child = rel.resolve(n);
            Path abs = dir.resolve(n);
            work.add(() -> engine.lstat(abs, s -> {
                visited.incrementAndGet();
                if (s.ok()) {
                    visitor.file(child, s.value());
                } else if (s.errno() != Errno.ENOENT.code()) {
                    work.fail(s);
                }
            }));
        }
    }
}
