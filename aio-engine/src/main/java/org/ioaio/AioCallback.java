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
