package org.ioaio.sample;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Netty's leak reports, collected: the sample's tests run with {@code
 * -Dio.netty.leakDetection.level=paranoid} (every buffer tracked), and whatever Netty reports as
 * "LEAK:" (a buffer collected without being released) is kept here for the tests to fail on.
 */
final class NettyLeaks {

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    static {
        Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                String m = event.getFormattedMessage();
                if (m != null && m.contains("LEAK:")) {
                    REPORTS.add(m);
                }
            }
        };
        appender.setName("netty-leaks");
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    private NettyLeaks() {
    }

    /** Installs the collector (before the application starts). */
    static void install() {
        // The static initializer does it.
    }

    /** The detection level the tests run with. */
    static ResourceLeakDetector.Level level() {
        return ResourceLeakDetector.getLevel();
    }

    /**
     * Lets Netty report what was leaked so far: collects garbage and allocates tracked buffers
     * (each allocation polls the detector's queue of collected, unreleased buffers), a few rounds.
     *
     * @return the reports so far
     */
    static List<String> reports() {
        for (int round = 0; round < 5; round++) {
            System.gc();
            System.runFinalization();
            for (int i = 0; i < 200; i++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(16);
                a.release();
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                b.release();
            }
        }
        return List.copyOf(REPORTS);
    }

    /** Forgets the reports after the first {@code keep} (those a test provoked on purpose). */
    static void forgetAfter(int keep) {
        while (REPORTS.size() > keep) {
            REPORTS.remove(REPORTS.size() - 1);
        }
    }
}
