package org.ioaio;

/**
 * Whether the native backend sends requests to io_uring ({@link AioEngine.Builder#ioUring(IoUringMode)}):
 * those of {@link AioEngine.Builder#ioUringOps(java.util.Set)} are then submitted in batches by one
 * ring thread and completed without a worker thread each. Every other request runs on the worker threads.
 */
public enum IoUringMode {
    /** Use io_uring where the native backend is active and {@code io_uring_setup} succeeds; the workers otherwise. */
    AUTO,
    /** Use io_uring; building the engine fails with the reason where it cannot (portable backend, no io_uring). */
    REQUIRED,
    /** Never use io_uring: every request runs on the worker threads. */
    OFF
}
