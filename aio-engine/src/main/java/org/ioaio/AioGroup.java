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

import java.util.function.Consumer;

/**
 * A group (IO::AIO::GRP): a request that contains other requests and finishes, running its own
 * callback, when every member is {@link AioRequest.State#DONE}.
 *
 * <p>Create one with {@link AioEngine#group(AioCallback)}. Members are added with {@link
 * #add(AioRequest...)} until the group's callback has run; a feeder ({@link #feed(Consumer)})
 * generates members on demand, keeping fewer than {@link #limit()} active at once. All methods are
 * thread-safe; the feeder runs under the group's lock, first in the thread that sets it and later
 * inside {@code pollCb}.
 */
public interface AioGroup extends AioRequest {

    /**
     * Adds requests (nested groups included) to this group.
     *
     * @param requests requests not yet in any group and not yet done
     * @return this group
     * @throws IllegalStateException if the group has finished, or a request is already in a group or done
     * @throws IllegalArgumentException if a request is null, this group itself, or from another engine
     */
    AioGroup add(AioRequest... requests);

    /** Cancels every member and removes the feeder, but not the group: it finishes normally. */
    void cancelSubs();

    /**
     * Sets the value the group callback receives ({@link AioResult#value()}).
     *
     * @param value any value, or {@code null}
     */
    void result(Object value);

    /**
     * Sets the errno the group callback receives (0 by default).
     *
     * @param errno a POSIX error number, or 0
     */
    void errno(int errno);

    /**
     * Sets the feeder: called whenever fewer than {@link #limit()} members are active, it is
     * expected to {@link #add} more; a feeder that adds nothing is removed. Setting a feeder while the
     * limit is 0 sets the limit to 2, as IO::AIO does. Passing {@code null} removes the feeder.
     *
     * @param feeder the generator, or {@code null}
     */
    void feed(Consumer<AioGroup> feeder);

    /**
     * Sets the feeder limit: the feeder is called while fewer than {@code limit} members are active;
     * 0 pauses feeding.
     *
     * @param limit 0 or more
     * @throws IllegalArgumentException if negative
     */
    void limit(int limit);

    /** The feeder limit (0 by default; 2 once a feeder is set on a group whose limit was 0). */
    int limit();

    /** The number of members not yet done. */
    int size();
}
