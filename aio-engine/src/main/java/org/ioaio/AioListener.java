package org.ioaio;

/**
 * Observes requests for metrics (set with {@link AioEngine.Builder#listener(AioListener)}). Called
 * on worker threads (and the deadline thread), so implementations must be thread-safe and quick;
 * an exception thrown here is logged and ignored.
 */
public interface AioListener {

    /**
     * A request finished executing on a worker.
     *
     * @param operation the request's operation name ({@code "stat"}, {@code "nop"}...): a bounded set
     * @param waitNanos how long it was READY before a worker took it
     * @param executionNanos how long it executed
     * @param errno 0 on success, else the POSIX error number
     */
    void executed(String operation, long waitNanos, long executionNanos, int errno);

    /**
     * A request left the queue without executing: cancelled, or its deadline passed.
     *
     * @param operation the request's operation name
     * @param waitNanos how long it was READY
     * @param timedOut {@code true} for a deadline, {@code false} for a cancel
     */
    default void skipped(String operation, long waitNanos, boolean timedOut) {}
}
