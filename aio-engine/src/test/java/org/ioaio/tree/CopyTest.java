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
import static org.ioaio.tree.TreeTesting.await;
import static org.ioaio.tree.TreeTesting.cancelled;
import static org.ioaio.tree.TreeTesting.failure;
import static org.ioaio.tree.TreeTesting.randomFile;
import static org.ioaio.tree.TreeTesting.sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFuture;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.TestEngines;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.ioaio.internal.sys.NioSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** aio_copy: "creates the destination file with mode 0200 and copies the contents ... using aio_sendfile, followed by restoring atime, mtime, access mode and uid/gid, in that order". */
@ExtendWith(EngineInvariants.class)
class CopyTest {

    @TempDir
    Path tmp;

    private static final Instant ATIME = Instant.parse("2019-05-06T07:08:09.123456789Z");
    private static final Instant MTIME = Instant.parse("2018-01-02T03:04:05.987654321Z");

    private Path source(long size) throws IOException {
        Path src = randomFile(tmp.resolve("src"), size, size);
        Files.setAttribute(src, "unix:mode", 0754);
        Files.setAttribute(src, "lastAccessTime", FileTime.from(ATIME));
        Files.setAttribute(src, "lastModifiedTime", FileTime.from(MTIME));
        return src;
    }

    private static int mode(Path p) throws IOException {
        return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    }

    // Content byte for byte (a checksum), mode, atime and mtime to the nanosecond, for empty, small, odd and multi-chunk sizes.
    @ParameterizedTest
    @ValueSource(longs = {0, 1, 4095, (1 << 20) + 7, (65L << 20) + 3})
    void copiesContentModeAndTimes(long size) throws IOException {
        Path src = source(size);
        Path dst = tmp.resolve("dst");
        RecordingSyscalls sys = new RecordingSyscalls();
        try (AioEngine aio = TestEngines.on(sys, 4)) {
            assertThat(await(aio, aio.copy(src, dst))).isNull();
        }
        // times first: reading the files for the checksum moves their access times
        assertThat(Files.getAttribute(dst, "lastAccessTime")).isEqualTo(FileTime.from(ATIME));
        assertThat(Files.getAttribute(dst, "lastModifiedTime")).isEqualTo(FileTime.from(MTIME));
        assertThat(mode(dst)).isEqualTo(0754);
        assertThat(Files.size(dst)).isEqualTo(size);
        assertThat(sha256(dst)).isEqualTo(sha256(src));
        assertThat(sys.count("sendfile")).as("zero-copy, chunked").isGreaterThanOrEqualTo(size == 0 ? 0 : size > (64L << 20) ? 2 : 1);
    }

    // "restoring atime, mtime, access mode and uid/gid, in that order", after the content went in through a destination made with mode 0200.
    @Test
    void destinationIsCreated0200ThenTimesModeOwnerInThatOrder() throws IOException {
        Path src = source(10_000);
        Files.setAttribute(src, "unix:uid", 1234);
        Files.setAttribute(src, "unix:gid", 2345);
        Path dst = tmp.resolve("dst");
        RecordingSyscalls sys = new RecordingSyscalls();
        List<Integer> modeDuringSendfile = new ArrayList<>();
        sys.hook = (method, p) -> {
            if (method.equals("sendfile")) {
                try {
                    modeDuringSendfile.add(mode(dst));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        };
        try (AioEngine aio = TestEngines.on(sys, 2)) {
            await(aio, aio.copy(src, dst));
        }
        assertThat(modeDuringSendfile).containsOnly(0200);
        List<String> order = sys.log.stream().map(l -> l.split(" ")[0])
                .filter(m -> List.of("open", "sendfile", "futime", "fchmod", "fchown", "close").contains(m)).toList();
        assertThat(order).containsSubsequence("open", "open", "sendfile", "futime", "fchmod", "fchown", "close");
        assertThat(Files.getAttribute(dst, "unix:uid")).as("owner, as root").isEqualTo(1234);
        assertThat(Files.getAttribute(dst, "unix:gid")).isEqualTo(2345);
        assertThat(mode(dst)).isEqualTo(0754);
    }

    // "If an error occurs, the partial destination file will be unlinked": a failing sendfile, close or open leaves no destination, and the error names the step.
    @ParameterizedTest
    @ValueSource(strings = {"sendfile", "close", "fstat"})
    void anErrorLeavesNoPartialDestination(String step) throws IOException {
        Path src = source(100_000);
        Path dst = tmp.resolve("dst");
        FaultInjectingSyscalls faults = new FaultInjectingSyscalls();
        faults.failAlways(step, Errno.ENOSPC); // close: the source's close is quiet, the destination's fails
        try (AioEngine aio = TestEngines.on(faults.wrap(new NioSyscalls()), 2)) {
            AioException e = failure(aio, aio.copy(src, dst));
            assertThat(e.error()).isEqualTo(Errno.ENOSPC);
            assertThat(e.operation()).isEqualTo(step.equals("fstat") ? "open" : step);
        }
        assertThat(dst).doesNotExist();
        assertThat(sha256(src)).isEqualTo(sha256(source(100_000).resolveSibling("src")));
    }

    // "except when setting atime, mtime, access mode and uid/gid, where errors are being ignored".
    @Test
    void errorsRestoringAttributesAreIgnored() throws IOException {
        Path src = source(5000);
        Path dst = tmp.resolve("dst");
        FaultInjectingSyscalls faults = new FaultInjectingSyscalls();
        faults.failAlways("futime", Errno.EPERM).failAlways("fchmod", Errno.EPERM).failAlways("fchown", Errno.EPERM);
        try (AioEngine aio = TestEngines.on(faults.wrap(new NioSyscalls()), 2)) {
            await(aio, aio.copy(src, dst));
        }
        assertThat(sha256(dst)).isEqualTo(sha256(src));
        assertThat(mode(dst)).as("still the creation mode").isEqualTo(0200);
    }

    // A copy cancelled between any two of its steps finishes cancelled, leaves no destination, and nreqs returns to 0.
    @Test
    void cancelledBetweenAnyStepsLeavesNoDestination() throws IOException {
        Path src = source(70L << 20); // two sendfile steps
        int steps;
        try (AioEngine aio = TreeTesting.steppedEngine()) {
            AioFuture<Void> f = aio.copy(src, tmp.resolve("whole"));
            steps = TreeTesting.rounds(aio, round -> true);
            await(aio, f);
        }
        assertThat(steps).as("open, open, sendfile x2, attributes, close").isEqualTo(6);
        for (int k = 0; k < steps; k++) {
            Path dst = tmp.resolve("dst" + k);
            AtomicInteger callbacks = new AtomicInteger();
            try (AioEngine aio = TreeTesting.steppedEngine()) {
                AioFuture<Void> f = aio.copy(src, dst);
                var r = aio.copy(src, tmp.resolve("cb" + k), res -> callbacks.incrementAndGet());
                int stopAt = k;
                TreeTesting.rounds(aio, round -> round < stopAt);
                f.cancel(false);
                r.cancel();
                aio.maxParallel(2);
                cancelled(aio, f);
                assertThat(aio.cancellations()).isPositive();
            }
            assertThat(dst).as("after %d steps", k).doesNotExist();
            assertThat(tmp.resolve("cb" + k)).doesNotExist();
            assertThat(callbacks).as("a cancelled request's callback is not called").hasValue(0);
        }
    }

    // Bad input: a directory as source or destination is EISDIR; a FIFO source is EINVAL at once (no worker blocks); a missing source ENOENT.
    @Test
    void directoriesFifosAndMissingFiles() throws IOException {
        Path src = source(10);
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        Path fifo = tmp.resolve("fifo");
        TreeTesting.mkfifo(fifo);
        try (AioEngine aio = TreeTesting.engine()) {
            AioException e = failure(aio, aio.copy(dir, tmp.resolve("x")));
            assertThat(e.error()).isEqualTo(Errno.EISDIR);
            assertThat(e.path()).isEqualTo(dir.toString());
            assertThat(failure(aio, aio.copy(src, dir)).error()).isEqualTo(Errno.EISDIR);
            assertThat(failure(aio, aio.copy(fifo, tmp.resolve("y"))).error()).isEqualTo(Errno.EINVAL);
            AioException missing = failure(aio, aio.copy(tmp.resolve("missing"), tmp.resolve("z")));
            assertThat(missing.error()).isEqualTo(Errno.ENOENT);
            assertThat(missing.operation()).isEqualTo("open");
            assertThat(failure(aio, aio.copy(src, tmp.resolve("no/such/dir"))).error()).isEqualTo(Errno.ENOENT);
        }
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(tmp.resolve("y")).doesNotExist();
        assertThat(tmp.resolve("z")).doesNotExist();
        assertThat(Files.list(dir)).isEmpty();
    }

    // A file copied onto itself, or onto another hard link of it, fails with EINVAL before anything is truncated.
    @Test
    void copyOntoItselfIsRefusedIntact() throws IOException {
        Path src = source(3000);
        String sum = sha256(src);
        Path hard = Files.createLink(tmp.resolve("hard"), src);
        try (AioEngine aio = TreeTesting.engine()) {
            assertThat(failure(aio, aio.copy(src, src)).error()).isEqualTo(Errno.EINVAL);
            assertThat(failure(aio, aio.copy(src, hard)).error()).isEqualTo(Errno.EINVAL);
        }
        assertThat(sha256(src)).isEqualTo(sum);
        assertThat(hard).exists();
    }

    // A source symlink is followed (its file is copied); a destination symlink is refused with ELOOP, and neither it nor its target is touched.
    @Test
    void symlinks() throws IOException {
        Path src = source(2000);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), src.getFileName());
        Path victim = Files.writeString(tmp.resolve("victim"), "keep me");
        Path dstLink = Files.createSymbolicLink(tmp.resolve("dstlink"), victim.getFileName());
        try (AioEngine aio = TreeTesting.engine()) {
            await(aio, aio.copy(link, tmp.resolve("copy")));
            assertThat(Files.isSymbolicLink(tmp.resolve("copy"))).isFalse();
            assertThat(sha256(tmp.resolve("copy"))).isEqualTo(sha256(src));
            assertThat(failure(aio, aio.copy(src, dstLink)).error()).isEqualTo(Errno.ELOOP);
        }
        assertThat(Files.isSymbolicLink(dstLink)).isTrue();
        assertThat(Files.readString(victim)).isEqualTo("keep me");
    }

    // "Existing destination files will be truncated": a longer existing destination ends up exactly the source.
    @Test
    void existingDestinationIsTruncatedAndReplaced() throws IOException {
        Path src = source(1000);
        Path dst = randomFile(tmp.resolve("dst"), 50_000, 99);
        try (AioEngine aio = TreeTesting.engine()) {
            await(aio, aio.copy(src, dst));
        }
        assertThat(sha256(dst)).isEqualTo(sha256(src));
    }
}
