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

package org.ioaio.sample;

import org.ioaio.AioEngine;
import org.ioaio.spring.boot.AioTemplate;
import org.ioaio.spring.boot.reactive.ReactiveAioTemplate;
import org.springframework.stereotype.Component;

/**
 * The two kinds of work and their IO::AIO priorities, in one place: API calls a user waits for
 * ({@link #interactive()}, {@code sample.priority.interactive}) and background jobs ({@link
 * #background()}, {@code sample.priority.background}). The engine serves the highest non-empty
 * queue first, so a listing overtakes every queued request of a running copy.
 */
@Component
public class AioViews {

    private final AioTemplate template;
    private final AioTemplate interactive;
    private final AioTemplate background;
    private final ReactiveAioTemplate reactiveInteractive;
    private final int interactivePriority;
    private final int backgroundPriority;

    /** Views of the auto-configured templates. */
    public AioViews(AioTemplate template, ReactiveAioTemplate reactive, SampleProperties properties) {
        this.template = template;
        this.interactivePriority = clamp(properties.getPriority().getInteractive());
        this.backgroundPriority = clamp(properties.getPriority().getBackground());
        this.interactive = template.withPriority(interactivePriority);
        this.background = template.withPriority(backgroundPriority);
        this.reactiveInteractive = reactive.withPriority(interactivePriority);
    }

    private static int clamp(int pri) {
        return Math.max(-4, Math.min(4, pri));
    }

    /** The engine behind the templates. */
    public AioEngine engine() {
        return template.engine();
    }

    /** The template without a priority of its own: for resolving paths. */
    public AioTemplate template() {
        return template;
    }

    /** Requests a user waits for. */
    public AioTemplate interactive() {
        return interactive;
    }

    /** The same, as Reactor publishers. */
    public ReactiveAioTemplate reactiveInteractive() {
        return reactiveInteractive;
    }

    /** Requests of background jobs. */
    public AioTemplate background() {
        return background;
    }

    /** The interactive priority, -4..4. */
    public int interactivePriority() {
        return interactivePriority;
    }

    /** The background priority, -4..4. */
    public int backgroundPriority() {
        return backgroundPriority;
    }
}
