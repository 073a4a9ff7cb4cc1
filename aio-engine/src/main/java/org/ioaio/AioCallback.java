package org.ioaio;

/**
 * The callback form of a request: called once, inside {@link AioEngine#pollCb()}, on the polling
 * thread, never concurrently with another callback. Not called when the request was cancelled.
 *
 * @param <T> the request's value type ({@link Void} for requests that only report a status)
 */
@FunctionalInterface
public interface AioCallback<T> {

    /**
     * Receives the request's outcome.
     *
     * @param result the outcome: a status ({@code -1} on error, as IO::AIO passes), errno and value
     */
    void onResult(AioResult<T> result);

    /**
     * Called instead of {@link #onResult} when the request was cancelled (for a group member, also
     * when its group was), inside {@code pollCb}: IO::AIO calls no callback then, and neither does
     * this default. A future overrides it to fail with a {@link java.util.concurrent.CancellationException};
     * a decorator wrapping another callback forwards it.
     *
     * @param request the cancelled request
     */
    default void cancelled(AioRequest request) {
    }
}
