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

package org.ioaio.spring.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

/** When the starter writes WebFlux responses on their connection's event loop. */
class AioEventLoopResponsesAutoConfigurationTests {

    private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AioEventLoopResponsesAutoConfiguration.class));

    // A reactive web application on Reactor Netty gets the filter by default.
    @Test
    void reactiveWebApplicationGetsTheFilter() {
        reactive.run(context -> assertThat(context).hasSingleBean(EventLoopResponses.class));
    }

    // aio.reactive.event-loop-responses=false leaves it out.
    @Test
    void filterCanBeSwitchedOff() {
        reactive.withPropertyValues("aio.reactive.event-loop-responses=false")
                .run(context -> assertThat(context).doesNotHaveBean(EventLoopResponses.class));
    }

    // A user's own bean of that type wins.
    @Test
    void filterBacksOffWhenUserDefinesOne() {
        EventLoopResponses mine = new EventLoopResponses();
        reactive.withBean(EventLoopResponses.class, () -> mine)
                .run(context -> assertThat(context).getBean(EventLoopResponses.class).isSameAs(mine));
    }

    // An application that is not a reactive web application gets nothing.
    @Test
    void nonReactiveApplicationGetsNoFilter() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AioEventLoopResponsesAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(EventLoopResponses.class));
    }
}
