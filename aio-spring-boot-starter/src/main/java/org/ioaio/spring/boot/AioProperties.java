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

package org.ioaio.spring.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.ioaio.AioBackend;
import org.ioaio.IoUringMode;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code aio.*} properties: the engine's settings (threads, {@code max_poll_reqs}...), the jail
 * root, shutdown and health limits.
 *
 * <p><b>Threads</b> read as a Spring task executor's core and max sizes do: worker threads start on
 * demand (one whenever a request waits and no thread is idle) up to {@code aio.max-parallel};
 * once the load passes, up to {@code aio.min-parallel} idle threads stay, and idle threads beyond
 * that exit after {@code aio.idle-timeout}. In IO::AIO's terms: {@code min_parallel} and {@code
 * max_parallel} are both set to max-parallel (IO::AIO's {@code max_parallel} alone only lowers the
 * wanted count), and {@code max_idle} to min-parallel. Either may be given alone: an unset
 * max-parallel is 8 or min-parallel if higher; an unset min-parallel is 4 or max-parallel if lower.
 *
 * <p>It validates itself when bound: a bad value fails start-up with a message that names the
 * property and the rule it breaks.
 */
@ConfigurationProperties("aio")
public class AioProperties implements Validator {

    /** Worker threads kept once started: up to this many idle threads wait for requests without a timeout (IO::AIO's max_idle; not its min_parallel); when unset and max-parallel is lower, max-parallel. */
    private int minParallel = 4;

    /** Whether min-parallel was set. */
    private boolean minParallelSet;

    /** Most worker threads: they start on demand, one whenever a request waits and no thread is idle, up to this many (IO::AIO's min_parallel and max_parallel both set to it); when unset and min-parallel is higher, min-parallel; 0 holds every request queued until raised. */
    private int maxParallel = 8;

    /** Whether max-parallel was set. */
    private boolean maxParallelSet;

    /** How long a worker thread beyond min-parallel stays idle before it exits (IO::AIO's idle_timeout). */
    private Duration idleTimeout = Duration.ofSeconds(10);

    /** Poll functions block while at least this many requests are outstanding (IO::AIO's max_outstanding); 0 for no limit. */
    private long maxOutstanding = 0;

    /** Which syscall layer executes requests: auto (native where available, else nio), nio (portable) or native (Linux FFM; start-up fails where it is not available). */
    private AioBackend backend = AioBackend.AUTO;

    /** Whether the native backend sends requests to io_uring (the engine's default operations: reads, fsync and fdatasync): auto (where io_uring_setup succeeds), required (start-up fails where it cannot) or off (everything on the worker threads). */
    private IoUringMode ioUring = IoUringMode.AUTO;

    /** Directory that every AioTemplate request is confined to: the engine's jail of it, each path resolved on a worker when the request runs (a path leaving it fails with EXDEV); relative paths resolve against it; unset for no jail. */
    private @Nullable Path root;

    /** Prefix of the names of the engine's worker threads and of the poller thread. */
    private String threadNamePrefix = "aio";

    /** Whether to record each request's submission time, so that the age of the oldest waiting request is known (one clock read per request). */
    private boolean recordTimes = true;

    /** Whether worker threads run under Linux's SCHED_BATCH policy, so that a worker's wake-up never preempts the poller or an event loop (needs Java 22+ on Linux; ignored elsewhere). */
    private boolean batchWorkers = true;

    private final Poll poll = new Poll();

    private final Shutdown shutdown = new Shutdown();

    private final Health health = new Health();

    private final Reactive reactive = new Reactive();

    private final ContextPropagation contextPropagation = new ContextPropagation();

    private final Observations observations = new Observations();

    /** Worker threads kept once started, as set (see {@link #effectiveMinParallel()}). */
    public int getMinParallel() {
        return minParallel;
    }

    /** Sets the worker threads kept once started. */
    public void setMinParallel(int minParallel) {
        this.minParallel = minParallel;
        this.minParallelSet = true;
    }

    /** Most worker threads, as set (see {@link #effectiveMaxParallel()}). */
    public int getMaxParallel() {
        return maxParallel;
    }

    /** Sets the most worker threads. */
    public void setMaxParallel(int maxParallel) {
        this.maxParallel = maxParallel;
        this.maxParallelSet = true;
    }

    /**
     * The worker threads kept once started, as the engine gets it ({@code max_idle}): min-parallel
     * when set, else 4, or max-parallel when that is set and lower.
     *
     * @return the number of idle threads kept
     */
    public int effectiveMinParallel() {
        if (minParallelSet || !maxParallelSet) {
            return minParallel;
        }
        return Math.min(minParallel, maxParallel);
    }

    /**
     * The most worker threads, as the engine gets it (its wanted thread count): max-parallel when
     * set, else 8, or min-parallel when that is set and higher.
     *
     * @return the number of threads that may run
     */
    public int effectiveMaxParallel() {
        if (maxParallelSet || !minParallelSet) {
            return maxParallel;
        }
        return Math.max(maxParallel, minParallel);
    }

    /** How long a surplus idle worker waits before exiting. */
    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    /** Sets how long a surplus idle worker waits before exiting. */
    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /** The outstanding-request threshold of the poll functions; 0 for none. */
    public long getMaxOutstanding() {
        return maxOutstanding;
    }

    /** Sets the outstanding-request threshold of the poll functions. */
    public void setMaxOutstanding(long maxOutstanding) {
        this.maxOutstanding = maxOutstanding;
    }

    /** The syscall layer. */
    public AioBackend getBackend() {
        return backend;
    }

    /** Sets the syscall layer. */
    public void setBackend(AioBackend backend) {
        this.backend = backend;
    }

    /** Whether reads, writes and syncs go through io_uring. */
    public IoUringMode getIoUring() {
        return ioUring;
    }

    /** Sets whether reads, writes and syncs go through io_uring. */
    public void setIoUring(IoUringMode ioUring) {
        this.ioUring = ioUring;
    }

    /** The jail directory, or {@code null} for none. */
    public @Nullable Path getRoot() {
        return root;
    }

    /** Sets the jail directory. */
    public void setRoot(@Nullable Path root) {
        this.root = root;
    }

    /** Prefix of the engine's thread names. */
    public String getThreadNamePrefix() {
        return threadNamePrefix;
    }

    /** Sets the prefix of the engine's thread names. */
    public void setThreadNamePrefix(String threadNamePrefix) {
        this.threadNamePrefix = threadNamePrefix;
    }

    /** Whether submission times are recorded. */
    public boolean isRecordTimes() {
        return recordTimes;
    }

    /** Sets whether submission times are recorded. */
    public void setRecordTimes(boolean recordTimes) {
        this.recordTimes = recordTimes;
    }

    /** Whether worker threads run under SCHED_BATCH. */
    public boolean isBatchWorkers() {
        return batchWorkers;
    }

    /** Sets whether worker threads run under SCHED_BATCH. */
    public void setBatchWorkers(boolean batchWorkers) {
        this.batchWorkers = batchWorkers;
    }

    /** The poller's settings. */
    public Poll getPoll() {
        return poll;
    }

    /** The shutdown settings. */
    public Shutdown getShutdown() {
        return shutdown;
    }

    /** The health indicator's limits. */
    public Health getHealth() {
        return health;
    }

    /** The reactive template's settings. */
    public Reactive getReactive() {
        return reactive;
    }

    /** The context propagation settings. */
    public ContextPropagation getContextPropagation() {
        return contextPropagation;
    }

    /** The per-request observation settings. */
    public Observations getObservations() {
        return observations;
    }

    /** {@code aio.context-propagation.*}: the submitter's context restored where a request completes. */
    public static class ContextPropagation {

        /** Whether a future of AioTemplate (and ReactiveAioTemplate) completes, on the poller thread, with the thread-local context of the thread that submitted it (Micrometer context-propagation: the current Observation and trace, and the MDC), cleared after. */
        private boolean enabled = true;

        /** Whether the whole SLF4J MDC is part of that context (when no Slf4jThreadLocalAccessor is registered in the global ContextRegistry). */
        private boolean mdc = true;

        /** Whether the submitter's context is restored. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether the submitter's context is restored. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** Whether the MDC is propagated. */
        public boolean isMdc() {
            return mdc;
        }

        /** Sets whether the MDC is propagated. */
        public void setMdc(boolean mdc) {
            this.mdc = mdc;
        }
    }

    /** {@code aio.observations.*}: a Micrometer Observation per request. */
    public static class Observations {

        /** Whether each AioTemplate request is a Micrometer Observation named aio.request (a child span of the submitter's in a trace), when an ObservationRegistry bean exists. */
        private boolean enabled = false;

        /** Whether requests are observed. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether requests are observed. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code aio.poll.*}: the poller thread and the limits of one pollCb. */
    public static class Poll {

        /** Whether to run the poller thread that processes results; disable it when your own event loop polls the engine. */
        private boolean enabled = true;

        /** The most results one pollCb processes (IO::AIO's max_poll_reqs); 0 for all. */
        private int maxReqs = 0;

        /** The time after which one pollCb stops processing results (IO::AIO's max_poll_time); 0 for no limit. */
        private Duration maxTime = Duration.ofMillis(0);

        /** Whether the poller runs. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether the poller runs. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** The most results one pollCb processes. */
        public int getMaxReqs() {
            return maxReqs;
        }

        /** Sets the most results one pollCb processes. */
        public void setMaxReqs(int maxReqs) {
            this.maxReqs = maxReqs;
        }

        /** The time one pollCb spends at most. */
        public Duration getMaxTime() {
            return maxTime;
        }

        /** Sets the time one pollCb spends at most. */
        public void setMaxTime(Duration maxTime) {
            this.maxTime = maxTime;
        }
    }

    /** {@code aio.shutdown.*}: how the engine closes with the application context. */
    public static class Shutdown {

        /** How long queued requests may drain when the context closes before they are cancelled (and again for requests already executing). */
        private Duration gracePeriod = Duration.ofSeconds(10);

        /** The drain period. */
        public Duration getGracePeriod() {
            return gracePeriod;
        }

        /** Sets the drain period. */
        public void setGracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }
    }

    /** {@code aio.health.*}: when the health indicator reports DOWN (the engine is stuck) and a backlog. */
    public static class Health {

        /** A backlog: the oldest request waiting for a worker thread has waited longer than this (needs aio.record-times); shown in the details, and as aio.health.backlog-status if set, never DOWN by itself. */
        private Duration maxWait = Duration.ofSeconds(30);

        /** DOWN when results are pending and the poller has made no progress for longer than this. */
        private Duration maxPollDelay = Duration.ofSeconds(10);

        /** DOWN when requests wait for a worker thread and the poller has delivered no result for longer than this (workers stuck, or max-parallel 0). */
        private Duration maxStall = Duration.ofSeconds(60);

        /** Health status reported during a backlog (e.g. OUT_OF_SERVICE, or a custom status mapped with management.endpoint.health.status.*); unset: UP with the backlog in the details. */
        private @Nullable String backlogStatus;

        /** The limit on the poller's delivery silence while requests wait for a worker. */
        public Duration getMaxStall() {
            return maxStall;
        }

        /** Sets the limit on the poller's delivery silence while requests wait for a worker. */
        public void setMaxStall(Duration maxStall) {
            this.maxStall = maxStall;
        }

        /** The status reported during a backlog, or {@code null} for UP. */
        public @Nullable String getBacklogStatus() {
            return backlogStatus;
        }

        /** Sets the status reported during a backlog. */
        public void setBacklogStatus(@Nullable String backlogStatus) {
            this.backlogStatus = backlogStatus;
        }

        /** The limit on the oldest request's wait. */
        public Duration getMaxWait() {
            return maxWait;
        }

        /** Sets the limit on the oldest request's wait. */
        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

        /** The limit on the poller's silence while results are pending. */
        public Duration getMaxPollDelay() {
            return maxPollDelay;
        }

        /** Sets the limit on the poller's silence while results are pending. */
        public void setMaxPollDelay(Duration maxPollDelay) {
            this.maxPollDelay = maxPollDelay;
        }
    }

    /** {@code aio.reactive.*}: the reactive template's settings. */
    public static class Reactive {

        /** Size of the DataBuffer chunks in which ReactiveAioTemplate reads files (one read request each). */
        private DataSize chunkSize = DataSize.ofKilobytes(64);

        /** The read chunk size. */
        public DataSize getChunkSize() {
            return chunkSize;
        }

        /** Sets the read chunk size. */
        public void setChunkSize(DataSize chunkSize) {
            this.chunkSize = chunkSize;
        }

        /**
         * Whether a WebFlux application on Reactor Netty writes every response on its connection's
         * event loop (EventLoopResponses), so that none completed by an aio future is lost.
         */
        private boolean eventLoopResponses = true;

        /** Whether responses are written on their connection's event loop. */
        public boolean isEventLoopResponses() {
            return eventLoopResponses;
        }

        /** Sets whether responses are written on their connection's event loop. */
        public void setEventLoopResponses(boolean eventLoopResponses) {
            this.eventLoopResponses = eventLoopResponses;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Validation at binding
    // ------------------------------------------------------------------------------------------

    /** Validates {@link AioProperties} only. */
    @Override
    public boolean supports(Class<?> clazz) {
        return AioProperties.class.isAssignableFrom(clazz);
    }

    /** Rejects every value the engine would refuse, naming the property and the rule. */
    @Override
    public void validate(Object target, Errors errors) {
        AioProperties p = (AioProperties) target;
        if (p.minParallel < 0) {
            reject(errors, "minParallel", "aio.min-parallel must be 0 or more, got " + p.minParallel);
        }
        if (p.maxParallel < 0) {
            reject(errors, "maxParallel", "aio.max-parallel must be 0 or more, got " + p.maxParallel);
        } else if (p.minParallelSet && p.maxParallelSet && p.maxParallel < p.minParallel) {
            reject(errors, "maxParallel", "aio.max-parallel (" + p.maxParallel + ") must not be below aio.min-parallel (" + p.minParallel + ")");
        }
        if (!positive(p.idleTimeout)) {
            reject(errors, "idleTimeout", "aio.idle-timeout must be a positive duration, got " + p.idleTimeout);
        }
        if (p.maxOutstanding < 0) {
            reject(errors, "maxOutstanding", "aio.max-outstanding must be 0 (no limit) or more, got " + p.maxOutstanding);
        }
        if (p.backend == null) {
            reject(errors, "backend", "aio.backend must be one of auto, nio, native");
        }
        if (p.ioUring == null) {
            reject(errors, "ioUring", "aio.io-uring must be one of auto, required, off");
        }
        if (p.threadNamePrefix == null || p.threadNamePrefix.isBlank()) {
            reject(errors, "threadNamePrefix", "aio.thread-name-prefix must not be blank");
        }
        Path root = p.root;
        if (root != null) {
            if (!Files.isDirectory(root)) {
                reject(errors, "root", "aio.root must be an existing directory, got " + root
                        + (Files.exists(root) ? " (not a directory)" : " (does not exist)"));
            } else if (!Files.isWritable(root)) {
                reject(errors, "root", "aio.root must be a writable directory, got " + root + " (not writable)");
            }
        }
        if (p.poll.maxReqs < 0) {
            reject(errors, "poll.maxReqs", "aio.poll.max-reqs must be 0 (all) or more, got " + p.poll.maxReqs);
        }
        if (!nonNegative(p.poll.maxTime)) {
            reject(errors, "poll.maxTime", "aio.poll.max-time must be zero (no limit) or a positive duration, got " + p.poll.maxTime);
        }
        if (!nonNegative(p.shutdown.gracePeriod)) {
            reject(errors, "shutdown.gracePeriod", "aio.shutdown.grace-period must be zero or a positive duration, got " + p.shutdown.gracePeriod);
        }
        if (!positive(p.health.maxWait)) {
            reject(errors, "health.maxWait", "aio.health.max-wait must be a positive duration, got " + p.health.maxWait);
        }
        if (!positive(p.health.maxPollDelay)) {
            reject(errors, "health.maxPollDelay", "aio.health.max-poll-delay must be a positive duration, got " + p.health.maxPollDelay);
        }
        if (!positive(p.health.maxStall)) {
            reject(errors, "health.maxStall", "aio.health.max-stall must be a positive duration, got " + p.health.maxStall);
        }
        String backlog = p.health.backlogStatus;
        if (backlog != null && !backlog.isEmpty() && backlog.isBlank()) {
            reject(errors, "health.backlogStatus", "aio.health.backlog-status must be a status code (e.g. OUT_OF_SERVICE) or unset");
        }
        DataSize chunk = p.reactive.chunkSize;
        if (chunk == null || chunk.toBytes() < 1 || chunk.toBytes() > Integer.MAX_VALUE - 8) {
            reject(errors, "reactive.chunkSize", "aio.reactive.chunk-size must be between 1B and 2GB, got " + chunk);
        }
    }

    private static void reject(Errors errors, String field, String message) {
        errors.rejectValue(field, "aio.invalid", message);
    }

    private static boolean positive(@Nullable Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static boolean nonNegative(@Nullable Duration d) {
        return d != null && !d.isNegative();
    }
}
