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
import org.ioaio.spring.boot.AioProperties;
import org.ioaio.spring.boot.AioTemplate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;

/** The {@link ReactiveAioTemplate}, when Project Reactor is on the class path. */
@AutoConfiguration(after = AioAutoConfiguration.class)
@ConditionalOnClass({ Flux.class, DataBuffer.class, AioTemplate.class })
@ConditionalOnSingleCandidate(AioTemplate.class)
@ConditionalOnBean(AioProperties.class)
public final class AioReactiveAutoConfiguration {

    /** The reactive template over the {@link AioTemplate} bean, reading in {@code aio.reactive.chunk-size} chunks. */
    @Bean
    @ConditionalOnMissingBean
    ReactiveAioTemplate reactiveAioTemplate(AioTemplate template, AioProperties properties) {
        return new ReactiveAioTemplate(template, (int) properties.getReactive().getChunkSize().toBytes(),
                DefaultDataBufferFactory.sharedInstance);
    }
}
