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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioException;
import org.ioaio.Errno;
import org.junit.jupiter.api.Test;

/** AioEngineExtension: an engine per test jailed in a temporary directory; after the test, outstanding requests and throwing callbacks fail it, and everything is cleaned up. */
class AioEngineExtensionTest {

    /** The jailed view writes beneath the root; a path leaving it fails with EXDEV; afterwards the directory is gone. */
    @Test
    void jailedEngineInATemporaryDirectory() throws Exception {
        AioEngineExtension aio = AioEngineExtension.create();
        aio.beforeEach(null);
        Path root = aio.root();
        aio.await(aio.jailed().mkdir(Path.of("sub"), 0755));
        assertThat(Files.isDirectory(root.resolve("sub"))).isTrue();
        assertThatThrownBy(() -> aio.await(aio.jailed().stat(Path.of("../../etc/passwd"))))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(AioException.class)
                .satisfies(t -> assertThat(((AioException) t).errno()).isEqualTo(Errno.EXDEV.code()));
        aio.afterEach(null);
        assertThat(Files.exists(root)).isFalse();
        assertThatThrownBy(aio::engine).isInstanceOf(IllegalStateException.class);
    }

    /** A request nobody waited for fails the test after it, and is cancelled. */
    @Test
    void outstandingRequestFailsTheTest() throws Exception {
        AioEngineExtension aio = AioEngineExtension.create();
        aio.beforeEach(null);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        aio.engine().custom(() -> {
            started.countDown();
            return release.await(30, TimeUnit.SECONDS);
        });
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        assertThatThrownBy(() -> aio.afterEach(null)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 aio request(s) were still outstanding");
    }

    /** checkOutstanding(false) lets a test leave requests behind; flush() leaves none. */
    @Test
    void outstandingAllowedOrFlushed() throws Exception {
        AioEngineExtension lax = AioEngineExtension.create().checkOutstanding(false);
        lax.beforeEach(null);
        lax.engine().nop();
        lax.afterEach(null);

        AioEngineExtension strict = AioEngineExtension.create();
        strict.beforeEach(null);
        strict.engine().nop(r -> { });
        strict.flush();
        assertThat(strict.engine().nreqs()).isZero();
        strict.afterEach(null);
    }

    /** A callback that threw fails the test after it. */
    @Test
    void throwingCallbackFailsTheTest() throws Exception {
        AioEngineExtension aio = AioEngineExtension.create();
        aio.beforeEach(null);
        aio.engine().nop(r -> {
            throw new IllegalStateException("a bug in the callback");
        });
        aio.flush();
        assertThatThrownBy(() -> aio.afterEach(null)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 aio callback(s)");
    }

    /** faults() needs withFaults(); customize() reaches the builder. */
    @Test
    void faultsOnlyWhenAskedAndCustomizersApply() throws Exception {
        AioEngineExtension aio = AioEngineExtension.create().customize(b -> b.minParallel(1).maxParallel(1));
        aio.beforeEach(null);
        try {
            assertThatThrownBy(aio::faults).isInstanceOf(IllegalStateException.class);
            assertThat(aio.engine().parallelism()).isEqualTo(1);
            Files.writeString(aio.root().resolve("f"), "ok");
            assertThat(new String(aio.await(aio.jailed().load(Path.of("f"))), StandardCharsets.US_ASCII)).isEqualTo("ok");
        } finally {
            aio.afterEach(null);
        }
    }
}
