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
