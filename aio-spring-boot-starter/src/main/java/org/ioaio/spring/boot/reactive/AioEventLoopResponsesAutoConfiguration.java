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

import org.ioaio.spring.boot.AioAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.server.WebFilter;
import reactor.netty.Connection;

/**
 * {@link EventLoopResponses} in a reactive web application served by Reactor Netty, so that a
 * response completed by an aio future (on the poller thread) is written on its connection's event
 * loop and never lost; off with {@code aio.reactive.event-loop-responses=false}.
 */
@AutoConfiguration(after = AioAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ WebFilter.class, Connection.class })
@ConditionalOnProperty(prefix = "aio.reactive", name = "event-loop-responses", havingValue = "true", matchIfMissing = true)
public final class AioEventLoopResponsesAutoConfiguration {

    /** The filter that writes responses on their connection's event loop. */
    @Bean
    @ConditionalOnMissingBean
    EventLoopResponses aioEventLoopResponses() {
        return new EventLoopResponses();
    }
}
