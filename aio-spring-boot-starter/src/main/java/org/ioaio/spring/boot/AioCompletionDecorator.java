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

import java.util.List;
import org.ioaio.AioCallback;
import org.ioaio.AioRequest;
import org.ioaio.AioResult;

/**
 * Wraps the callback of every request an {@link AioTemplate} submits (its future's completer, or the
 * caller's callback), on the submitting thread, right before the request is submitted: to capture
 * what that thread has (its context, a parent observation) and act when the request completes on
 * the poller thread. The auto-configuration applies every bean of this type, in order (the first
 * wraps the request's own callback, the last is called first).
 *
 * <p>A decorator returns a callback that calls the one it is given exactly once, as it is called:
 * {@link AioCallback#onResult} from {@code onResult}, {@link AioCallback#cancelled} from {@code
 * cancelled} (a future fails with a {@code CancellationException} there); {@link #around} makes one.
 */
public interface AioCompletionDecorator {

    /** The decorator that changes nothing. */
    AioCompletionDecorator NONE = new AioCompletionDecorator() {
        @Override
        public <T> AioCallback<T> decorate(AioCallback<T> callback) {
            return callback;
        }
    };

    /**
     * The callback to hand the engine for {@code callback}, on the submitting thread.
     *
     * @param callback the request's callback (never {@code null})
     * @param <T> the value type
     * @return the callback the engine calls instead
     */
    <T> AioCallback<T> decorate(AioCallback<T> callback);

    /** What a decorator does around the callback it wraps, on the poller thread. */
    interface Around {

        /**
         * Runs {@code delivery} (which calls the wrapped callback), with whatever around it.
         *
         * @param request the request being delivered
         * @param outcome its result, or {@code null} when it was cancelled
         * @param delivery calls the wrapped callback
         */
        void deliver(AioRequest request, AioResult<?> outcome, Runnable delivery);
    }

    /**
     * A callback that calls {@code callback} through {@code around}, for both outcomes.
     *
     * @param callback the callback wrapped
     * @param around what runs around its call
     * @param <T> the value type
     * @return the wrapping callback
     */
    static <T> AioCallback<T> around(AioCallback<T> callback, Around around) {
        return new AioCallback<>() {
            @Override
            public void onResult(AioResult<T> result) {
                around.deliver(result.request(), result, () -> callback.onResult(result));
            }

            @Override
            public void cancelled(AioRequest request) {
                around.deliver(request, null, () -> callback.cancelled(request));
            }
        };
    }

    /**
     * All of {@code decorators}, in order: the first wraps the request's own callback.
     *
     * @param decorators the decorators
     * @return one decorator applying them all ({@link #NONE} for none)
     */
    static AioCompletionDecorator of(List<? extends AioCompletionDecorator> decorators) {
        if (decorators.isEmpty()) {
            return NONE;
        }
        if (decorators.size() == 1) {
            return decorators.get(0);
        }
        AioCompletionDecorator[] all = decorators.toArray(new AioCompletionDecorator[0]);
        return new AioCompletionDecorator() {
            @Override
            public <T> AioCallback<T> decorate(AioCallback<T> callback) {
                AioCallback<T> c = callback;
                for (AioCompletionDecorator d : all) {
                    c = d.decorate(c);
                }
                return c;
            }
        };
    }
}
