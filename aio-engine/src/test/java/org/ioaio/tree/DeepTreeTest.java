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

package org.ioaio.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ioaio.tree.TreeTesting.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ioaio.AioEngine;
import org.ioaio.DirScan;
import org.ioaio.EngineInvariants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trees deeper (and wider) than the open-file limit: scandir, rmtree and the tree copy hold a directory open
 * only while reading it, so a tree 300 levels deep is walked, copied and removed with the process's
 * soft RLIMIT_NOFILE lowered (prlimit(1) on this JVM) to a few descriptors above what is already open.
 */
@ExtendWith(EngineInvariants.class)
class DeepTreeTest {

    private static final int DEPTH = 300;

    @TempDir
    Path tmp;

    /** What a du over the tree found, and the most descriptors seen open at any callback. */
    record Du(int dirs, int files, long bytes, int maxFds) {}

    /** du: scandir every directory, lstat every non-directory, sum the sizes; samples open descriptors in each callback. */
    static Du du(AioEngine aio, Path root) {
        AtomicInteger dirs = new AtomicInteger();
        AtomicInteger files = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        AtomicInteger maxFds = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        walk(aio, root, dirs, files, bytes, maxFds, errors);
        aio.flush();
        assertThat(errors).hasValue(0);
        return new Du(dirs.get(), files.get(), bytes.get(), maxFds.get());
    }

    private static void walk(AioEngine aio, Path dir, AtomicInteger dirs, AtomicInteger files, AtomicLong bytes,
            AtomicInteger maxFds, AtomicInteger errors) {
        aio.scandir(dir, 0, r -> {
            maxFds.accumulateAndGet(TreeTesting.openFds(), Math::max);
            if (!r.ok()) {
                errors.incrementAndGet();
                return;
            }
            DirScan s = r.value();
            dirs.incrementAndGet();
            for (Path f : s.nondirs()) {
                aio.lstat(dir.resolve(f), st -> {
                    if (st.ok()) {
                        files.incrementAndGet();
                        bytes.addAndGet(st.value().size());
                    } else {
                        errors.incrementAndGet();
                    }
                });
            }
            for (Path d : s.dirs()) {
                walk(aio, dir.resolve(d), dirs, files, bytes, maxFds, errors);
            }
        });
    }

    private static long pid() {
        return ProcessHandle.current().pid();
    }

    private static void softFileLimit(String limit) {
        TreeTesting.Result r = TreeTesting.run(List.of("prlimit", "--pid", Long.toString(pid()), "--nofile=" + limit + ":"));
        assertThat(r.status()).as("prlimit: %s", r.err()).isZero();
    }

    private static String currentSoftLimit() {
        String out = TreeTesting.sh("prlimit", "--pid", Long.toString(pid()), "--nofile", "--noheadings", "--raw",
                "--output=SOFT").text().trim();
        return out;
    }

    private static Path deepTree(Path root, int depth) throws IOException {
        Path p = root;
        for (int i = 0; i < depth; i++) {
            p = p.resolve("d");
            Files.createDirectories(p);
            Files.writeString(p.resolve("f"), "x".repeat(i % 5));
            Files.createSymbolicLink(p.resolve("up"), Path.of(".."));
        }
        return root;
    }

    // A tree 300 deep is walked by scandir, copied and removed under a file limit of a few dozen descriptors (Walk bounds them).
    @Test
    void deepTreeUnderALowFileLimit() throws IOException {
        assumeTrue(TreeTesting.run(List.of("prlimit", "--version")).status() == 0, "prlimit(1) is not installed");
        Path deep = deepTree(tmp.resolve("deep"), DEPTH);
        long expectedBytes = 0;
        for (int i = 0; i < DEPTH; i++) {
            expectedBytes += i % 5;
        }
        try (AioEngine aio = TreeTesting.engine()) {
            // warm up: every class and thread these requests need, before the limit
            Path small = deepTree(tmp.resolve("small"), 3);
            du(aio, small);
            await(aio, aio.copyTree(small, tmp.resolve("small-copy")));
            await(aio, aio.rmtree(tmp.resolve("small-copy")));
            await(aio, aio.rmtree(small));
            aio.minParallel(4);

            int base = TreeTesting.openFds();
            String saved = currentSoftLimit();
            // Bounded whatever the depth: a copyTree walk holds up to 4 directories on each side plus
            // 2 per step in flight, and on the portable backend a directory stream costs 2
            // descriptors; with 4 workers that stays under 48 (the tree is 300 deep).
            int limit = base + 48;
            assertThat(limit).as("the limit is well below the depth").isLessThan(DEPTH / 2);
            Du du;
            Du duOfCopy;
            softFileLimit(Integer.toString(limit));
            try {
                assertThat(descriptorsThatCanStillBeOpened(deep)).as("the limit is in force").isLessThanOrEqualTo(limit - base + 1);
                du = du(aio, deep);
                await(aio, aio.copyTree(deep, tmp.resolve("copy")));
                duOfCopy = du(aio, tmp.resolve("copy"));
                await(aio, aio.rmtree(tmp.resolve("copy")));
                await(aio, aio.rmtree(deep));
            } finally {
                softFileLimit(saved);
            }
            assertThat(du).isEqualTo(new Du(DEPTH + 1, 2 * DEPTH, expectedBytes + symlinkBytes(), du.maxFds()));
            assertThat(duOfCopy.files()).isEqualTo(2 * DEPTH);
            assertThat(duOfCopy.bytes()).isEqualTo(du.bytes());
            assertThat(du.maxFds()).as("descriptors open during the walk (base %d)", base).isLessThanOrEqualTo(base + 4 + 1);
        }
        assertThat(deep).doesNotExist();
        assertThat(tmp.resolve("copy")).doesNotExist();
    }

    // A tree copy of 2000 files in one directory runs under the same low limit: files are open only while a worker copies them.
    @Test
    void wideTreeCopyUnderALowFileLimit() throws IOException {
        assumeTrue(TreeTesting.run(List.of("prlimit", "--version")).status() == 0, "prlimit(1) is not installed");
        Path wide = Files.createDirectories(tmp.resolve("wide"));
        for (int i = 0; i < 2000; i++) {
            Files.writeString(wide.resolve("f" + i), "x".repeat(i % 3));
        }
        try (AioEngine aio = TreeTesting.engine()) {
            Path small = deepTree(tmp.resolve("small"), 2);
            await(aio, aio.copyTree(small, tmp.resolve("small-copy")));
            await(aio, aio.rmtree(tmp.resolve("small-copy")));
            aio.minParallel(4);
            int base = TreeTesting.openFds();
            String saved = currentSoftLimit();
            int limit = base + 48; // as for the deep tree: far below the 2000 files
            softFileLimit(Integer.toString(limit));
            try {
                await(aio, aio.copyTree(wide, tmp.resolve("wide-copy")));
            } finally {
                softFileLimit(saved);
            }
        }
        try (java.util.stream.Stream<Path> copied = Files.list(tmp.resolve("wide-copy"))) {
            assertThat(copied.count()).isEqualTo(2000);
        }
        assertThat(Files.readString(tmp.resolve("wide-copy/f1999"))).isEqualTo("x");
    }

    /** Opens the directory until the limit refuses (EMFILE), closes everything again, and says how many opened. */
    private static int descriptorsThatCanStillBeOpened(Path dir) {
        List<java.nio.channels.FileChannel> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10_000; i++) {
                open.add(java.nio.channels.FileChannel.open(dir));
            }
            return Integer.MAX_VALUE;
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("Too many open files");
            return open.size();
        } finally {
            for (java.nio.channels.FileChannel c : open) {
                try {
                    c.close();
                } catch (IOException e) {
                    // closed anyway
                }
            }
        }
    }

    /** Each level's "up" symlink has a size: its target's length, 2. */
    private static long symlinkBytes() {
        return 2L * DEPTH;
    }
}
