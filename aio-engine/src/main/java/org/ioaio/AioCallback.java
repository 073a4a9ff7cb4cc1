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
}
