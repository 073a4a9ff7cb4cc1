package org.ioaio.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
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
            assertThat(NettyLeaks.reports()).hasSizeGreaterThan(before);
        } finally {
            NettyLeaks.forgetAfter(before);
        }
    }

    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
    }
}
