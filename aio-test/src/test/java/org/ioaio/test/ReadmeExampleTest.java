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

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's aio-test example, run (the README shows the part between the markers). */
class ReadmeExampleTest {

    // README-BEGIN
    @RegisterExtension
    final AioEngineExtension aio = AioEngineExtension.create().withFaults();

    // A write failing with ENOSPC (disk full) reaches the caller as an AioException with that errno.
    @Test
    void aFullDiskFailsTheWrite() {
        AioEngine engine = aio.jailed(); // confined to a fresh temporary directory, aio.root()
        AioFile file = aio.await(engine.open(Path.of("notes.txt"), AioConstants.O_CREAT | AioConstants.O_WRONLY, 0644));
        aio.faults().failAlways("pwrite", Errno.ENOSPC);
        CompletableFuture<Integer> write = engine.write(file, 0L, ByteBuffer.wrap("hello".getBytes(UTF_8)));
        assertThatThrownBy(() -> aio.await(write)).cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(Errno.ENOSPC.code()));
        aio.await(engine.close(file));
    } // after the test: no request may be left outstanding; the engine is closed, the directory deleted

    // Faults by path: only the log's disk is full. The glob matches the path as the request gave it (in the jail: relative to it).
    @Test
    void onlyTheLogsDiskIsFull() {
        AioEngine engine = aio.jailed();
        aio.faults().forPaths("logs/*.log").failAlways("pwrite", Errno.ENOSPC);
        aio.await(engine.mkdir(Path.of("logs"), 0755));
        AioFile log = aio.await(engine.open(Path.of("logs/app.log"), AioConstants.O_CREAT | AioConstants.O_WRONLY, 0644));
        AioFile data = aio.await(engine.open(Path.of("data.bin"), AioConstants.O_CREAT | AioConstants.O_WRONLY, 0644));
        assertThatThrownBy(() -> aio.await(engine.write(log, 0L, ByteBuffer.wrap("line".getBytes(UTF_8)))))
                .cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(Errno.ENOSPC.code()));
        assertThat(aio.await(engine.write(data, 0L, ByteBuffer.wrap("data".getBytes(UTF_8))))).isEqualTo(4);
        aio.await(engine.close(log));
        aio.await(engine.close(data));
    }
    // README-END
}
