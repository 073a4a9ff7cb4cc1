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

package org.ioaio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** poll_fileno: "This filehandle must be polled for reading ... If the pipe becomes readable you have to call poll_cb". */
@ExtendWith(EngineInvariants.class)
class PollChannelTest {

    // Registered with a real Selector: readable while results are pending, not once pollCb processed them all.
    @Test
    void pollChannelIsReadableWhileResultsArePending() throws Exception {
        try (AioEngine aio = AioEngine.builder().build(); Selector selector = Selector.open()) {
            SelectableChannel ch = aio.pollChannel();
            assertThat(ch.isBlocking()).isFalse();
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            assertThat(selector.selectNow()).isZero();
            AtomicInteger done = new AtomicInteger();
            for (int round = 1; round <= 3; round++) {
                aio.nop(r -> done.incrementAndGet());
                assertThat(selector.select(60_000)).isEqualTo(1);
                assertThat(selector.selectedKeys()).containsExactly(key);
                assertThat(key.isReadable()).isTrue();
                selector.selectedKeys().clear();
                Await.until("executed", () -> aio.npending() == 1);
                aio.pollCb();
                assertThat(done).hasValue(round);
                assertThat(selector.selectNow()).as("readable after every result was processed").isZero();
            }
            assertThat(aio.pollChannel()).isSameAs(ch);
        }
    }

    // "If not all requests were processed ..., the poll file descriptor will still be ready when poll_cb returns".
    @Test
    void pollChannelStaysReadableWhenPollCbStoppedEarly() throws Exception {
        try (AioEngine aio = AioEngine.builder().maxPollReqs(1).build(); Selector selector = Selector.open()) {
            aio.pollChannel().register(selector, SelectionKey.OP_READ);
            aio.nop(r -> {});
            aio.nop(r -> {});
            Await.until("both executed", () -> aio.npending() == 2);
            assertThat(aio.pollCb()).isEqualTo(-1);
            assertThat(selector.selectNow()).isEqualTo(1);
            selector.selectedKeys().clear();
            assertThat(aio.pollCb()).isZero();
            assertThat(selector.selectNow()).isZero();
        }
    }

    // A channel asked for after results arrived is readable at once; after close it is closed.
    @Test
    void lateChannelIsReadyAndCloseClosesIt() throws Exception {
        SelectableChannel ch;
        AioEngine aio = AioEngine.builder().build();
        try (Selector selector = Selector.open()) {
            aio.nop(r -> {});
            Await.until("executed", () -> aio.npending() == 1);
            ch = aio.pollChannel();
            ch.register(selector, SelectionKey.OP_READ);
            assertThat(selector.selectNow()).isEqualTo(1);
            aio.flush();
            aio.close();
            assertThat(ch.isOpen()).isFalse();
            assertThatThrownBy(aio::pollChannel).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }
}
