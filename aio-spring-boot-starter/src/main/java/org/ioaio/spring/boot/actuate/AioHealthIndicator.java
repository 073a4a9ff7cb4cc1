package org.ioaio.spring.boot.actuate;

import java.time.Duration;
import org.ioaio.AioEngine;
import org.ioaio.spring.boot.AioPoller;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code aio} health: DOWN when the engine is closed, when the poller has stopped or made no
 * progress for longer than {@code aio.health.max-poll-delay} while results are pending, or when the
 * oldest request waiting for a worker has waited longer than {@code aio.health.max-wait}; UP
 * otherwise. Details: queue depths, threads, the oldest wait, the poller's silence.
 */
public class AioHealthIndicator implements HealthIndicator {

    private final AioEngine engine;
    private final @Nullable AioPoller poller;
    private final Duration maxWait;
    private final Duration maxPollDelay;

    /**
     * A health indicator for {@code engine}.
     *
     * @param engine the engine
     * @param poller its poller, or {@code null} when the application polls it
     * @param maxWait DOWN when the oldest waiting request has waited longer
     * @param maxPollDelay DOWN when results are pending and the poller has been silent longer
     */
    public AioHealthIndicator(AioEngine engine, @Nullable AioPoller poller, Duration maxWait, Duration maxPollDelay) {
        this.engine = engine;
        this.poller = poller;
        this.maxWait = maxWait;
        this.maxPollDelay = maxPollDelay;
    }

    /** The health now. */
    @Override
    public Health health() {
        AioEngine e = engine;
        long pending = e.npending();
        Duration oldest = e.oldestReadyAge();
        Health.Builder b = Health.up()
                .withDetail("outstanding", e.nreqs())
                .withDetail("ready", e.nready())
                .withDetail("pending", pending)
                .withDetail("threads", e.nthreads())
                .withDetail("idle", e.nidle());
        if (oldest != null) {
            b.withDetail("oldestReadyAge", oldest.toString());
        }
        AioPoller p = poller;
        Duration silence = null;
        if (p != null) {
            silence = p.sinceLastProgress();
            b.withDetail("pollerRunning", p.isRunning()).withDetail("pollerSilence", silence.toString());
        }
        if (e.isClosed()) {
            return b.down().withDetail("reason", "the engine is closed").build();
        }
        if (p != null && !p.isRunning()) {
            return b.down().withDetail("reason", "the poller thread is not running: results are not processed").build();
        }
        if (p != null && pending > 0 && silence.compareTo(maxPollDelay) > 0) {
            return b.down().withDetail("reason", "the poller has made no progress for " + silence + " with " + pending
                    + " result(s) pending (limit aio.health.max-poll-delay=" + maxPollDelay + "): a callback or future stage blocks it?").build();
        }
        if (oldest != null && oldest.compareTo(maxWait) > 0) {
            return b.down().withDetail("reason", "the oldest waiting request has waited " + oldest
                    + " (limit aio.health.max-wait=" + maxWait + ")").build();
        }
        return b.build();
    }
}
