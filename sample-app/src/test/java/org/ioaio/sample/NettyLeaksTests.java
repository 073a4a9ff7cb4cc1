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

package org.ioaio.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The leak check the application tests rely on can see a leak. */
class NettyLeaksTests {

    /** Paranoid detection is on, and a buffer dropped without release is reported. */
    @Test
    void aDroppedBufferIsReported() {
        assertThat(NettyLeaks.level()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        int before = NettyLeaks.reports().size();
        try {
            leak();
            // The collector enqueues the dropped buffer when it gets to it: poll until Netty reports it.
            await().atMost(Duration.ofSeconds(60)).until(() -> NettyLeaks.reports().size() > before);
        } finally {
            NettyLeaks.forgetAfter(before);
        }
    }

    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
    }
}
