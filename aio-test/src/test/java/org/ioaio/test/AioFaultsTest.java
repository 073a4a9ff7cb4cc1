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

package org.ioaio.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.ioaio.AioBackend;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** AioFaults through AioEngineExtension, as an application's test uses them: injected errnos reach the futures unchanged. */
class AioFaultsTest {

    @RegisterExtension
    final AioEngineExtension aio = AioEngineExtension.create().withFaults();

    private static int errnoOf(Throwable t) {
        Throwable cause = t instanceof CompletionException ? t.getCause() : t;
        assertThat(cause).isInstanceOf(AioException.class);
        return ((AioException) cause).errno();
    }

    /** failNth: exactly the n-th write fails with ENOSPC; the others write; the fault is recorded. */
    @Test
    void nthWriteFailsWithEnospc() throws Exception {
        aio.faults().failNth("pwrite", 2, Errno.ENOSPC);
        AioEngine e = aio.jailed();
        AioFile f = aio.await(e.open(Path.of("data"), AioConstants.O_CREAT | AioConstants.O_WRONLY, 0644));
        byte[] chunk = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(aio.await(e.write(f, 0L, ByteBuffer.wrap(chunk)))).isEqualTo(3);
        assertThatThrownBy(() -> aio.await(e.write(f, 3L, ByteBuffer.wrap(chunk))))
                .satisfies(t -> assertThat(errnoOf(t)).isEqualTo(Errno.ENOSPC.code()));
        assertThat(aio.await(e.write(f, 3L, ByteBuffer.wrap(chunk)))).isEqualTo(3);
        aio.await(e.close(f));
        assertThat(Files.readString(aio.root().resolve("data"))).isEqualTo("abcabc");
        assertThat(aio.faults().injected()).containsExactly(new AioFaults.Fault(2, "pwrite", Errno.ENOSPC));
        assertThat(aio.faults().calls("pwrite")).isEqualTo(3);
    }

    /** failAlways: every open (of a path, on the engine itself) fails with EIO until clear(); the engine runs on the portable backend. */
    @Test
    void everyOpenFailsWithEioUntilCleared() throws Exception {
        Path file = aio.root().resolve("a.txt");
        Files.writeString(file, "hello");
        assertThat(aio.engine().backend()).isEqualTo(AioBackend.NIO);
        aio.faults().failAlways("open", Errno.EIO);
        assertThatThrownBy(() -> aio.await(aio.engine().load(file)))
                .satisfies(t -> assertThat(errnoOf(t)).isEqualTo(Errno.EIO.code()));
        aio.faults().clear();
        assertThat(new String(aio.await(aio.engine().load(file)), StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    /** failRandomly with probability 1 on stat: EINTR, from the errnos given; lstat is not chosen. */
    @Test
    void randomFaultsOnChosenCalls() throws Exception {
        Path file = aio.root().resolve("a.txt");
        Files.writeString(file, "x");
        aio.faults().failRandomly(42, 1.0, Set.of("stat"), Errno.EINTR);
        assertThatThrownBy(() -> aio.await(aio.engine().stat(file)))
                .satisfies(t -> assertThat(errnoOf(t)).isEqualTo(Errno.EINTR.code()));
        assertThat(aio.await(aio.engine().lstat(file)).size()).isEqualTo(1);
    }

    /** In the jail, path calls fail as named (stat), as the calls on an open file do (fsync); each call counted once. */
    @Test
    void inTheJailPathCallsAndFileCallsFail() throws Exception {
        Files.writeString(aio.root().resolve("a.txt"), "x");
        aio.faults().failAlways("fsync", Errno.EIO).failAlways("stat", Errno.EIO);
        AioEngine e = aio.jailed();
        AioFile f = aio.await(e.open(Path.of("a.txt"), AioConstants.O_RDWR, 0));
        assertThatThrownBy(() -> aio.await(e.fsync(f))).satisfies(t -> assertThat(errnoOf(t)).isEqualTo(Errno.EIO.code()));
        aio.await(e.close(f));
        assertThatThrownBy(() -> aio.await(e.stat(Path.of("a.txt")))).satisfies(t -> assertThat(errnoOf(t)).isEqualTo(Errno.EIO.code()));
        assertThat(aio.faults().calls("stat")).isEqualTo(1);
        assertThat(aio.await(e.lstat(Path.of("a.txt"))).size()).isEqualTo(1);
    }

    /** A path rule (a glob over the path as the request gave it, relative to the jail) fails the matching paths only; the n-th counts matching calls. */
    @Test
    void pathRulesHitOnlyMatchingPaths() throws Exception {
        Files.createDirectories(aio.root().resolve("logs"));
        for (String name : new String[] {"logs/a.log", "logs/b.log", "logs/a.txt", "a.log"}) {
            Files.writeString(aio.root().resolve(name), "x");
        }
        aio.faults().forPaths("logs/*.log").failAlways("stat", Errno.EIO).failNth("open", 2, Errno.EMFILE);
        AioEngine e = aio.jailed();
        assertThatThrownBy(() -> aio.await(e.stat(Path.of("logs/a.log")))).satisfies(t -> assertThat(errnoOf(t)).isEqualTo(Errno.EIO.code()));
        assertThatThrownBy(() -> aio.await(e.stat("logs/b.log"))).satisfies(t -> assertThat(errnoOf(t)).isEqualTo(Errno.EIO.code()));
        assertThat(aio.await(e.stat(Path.of("logs/a.txt"))).size()).isEqualTo(1);
        assertThat(aio.await(e.stat(Path.of("a.log"))).size()).isEqualTo(1);
        aio.await(e.close(aio.await(e.open(Path.of("a.log"), AioConstants.O_RDONLY, 0)))); // not matching: not counted
        aio.await(e.close(aio.await(e.open(Path.of("logs/a.log"), AioConstants.O_RDONLY, 0))));
        assertThatThrownBy(() -> aio.await(e.open(Path.of("logs/b.log"), AioConstants.O_RDONLY, 0)))
                .satisfies(t -> assertThat(errnoOf(t)).isEqualTo(Errno.EMFILE.code()));
        aio.await(e.close(aio.await(e.open(Path.of("logs/b.log"), AioConstants.O_RDONLY, 0))));
        assertThat(aio.faults().injected()).extracting(AioFaults.Fault::call).containsExactly("stat", "stat", "open");
    }

    /** A predicate sees each path of a call: a rename matches when either side does. */
    @Test
    void aPredicateSeesEitherPathOfARename() throws Exception {
        Files.writeString(aio.root().resolve("a"), "x");
        aio.faults().forPaths(p -> p.startsWith("archive/")).failAlways("rename", Errno.EXDEV);
        AioEngine e = aio.jailed();
        assertThatThrownBy(() -> aio.await(e.rename(Path.of("a"), Path.of("archive/a"))))
                .satisfies(t -> assertThat(errnoOf(t)).isEqualTo(Errno.EXDEV.code()));
        aio.await(e.rename(Path.of("a"), Path.of("b")));
        assertThat(aio.root().resolve("b")).exists();
    }

    /** An unknown call name is refused at once. */
    @Test
    void unknownCallIsRefused() {
        assertThatThrownBy(() -> aio.faults().failAlways("frobnicate", Errno.EIO)).isInstanceOf(IllegalArgumentException.class);
    }
}
