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
import java.util.Map;
import java.util.Locale;
import org.ioaio.AioEngine;
import org.ioaio.AioListener;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.ObservationRegistry;
import org.ioaio.spring.boot.context.AioContextPropagation;
import org.ioaio.spring.boot.context.AioObservations;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of aio: the {@link AioEngine} built from the {@code aio.*} properties, its
 * lifecycle, the poller thread and the {@link AioTemplate}. Each bean backs off when the
 * application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass(AioEngine.class)
@EnableConfigurationProperties(AioProperties.class)
@ImportRuntimeHints(AioRuntimeHints.class)
public final class AioAutoConfiguration {

    /** The engine, from the properties, every {@link AioListener} bean and every customizer. */
    @Bean
    @ConditionalOnMissingBean
    AioEngine aioEngine(AioProperties properties, ObjectProvider<AioListener> listeners,
            ObjectProvider<AioEngineBuilderCustomizer> customizers, Environment environment) {
        if (environment.containsProperty("aio.max-idle")) {
            throw new IllegalStateException("aio.max-idle was replaced by aio.min-parallel (the idle worker threads kept);"
                    + " aio.max-parallel is the most worker threads: see the aio.min-parallel description");
        }
        AioEngine.Builder builder = AioEngine.builder()
                .backend(properties.getBackend())
                .ioUring(properties.getIoUring())
                .name(properties.getThreadNamePrefix())
                // Threads start on demand up to max-parallel (the wanted count); min-parallel idle ones stay.
                .minParallel(properties.effectiveMaxParallel())
                .maxParallel(properties.effectiveMaxParallel())
                .maxIdle(properties.effectiveMinParallel())
                .idleTimeout(properties.getIdleTimeout())
                .maxOutstanding(properties.getMaxOutstanding())
                .maxPollReqs(properties.getPoll().getMaxReqs())
                .maxPollTime(properties.getPoll().getMaxTime())
                .closeGracePeriod(properties.getShutdown().getGracePeriod())
                .recordTimes(properties.isRecordTimes())
                .batchWorkers(properties.isBatchWorkers());
        List<AioListener> all = listeners.orderedStream().toList();
        if (all.size() == 1) {
            builder.listener(all.get(0));
        } else if (all.size() > 1) {
            builder.listener(new CompositeAioListener(all));
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        try {
            return builder.build();
        } catch (IllegalStateException e) {
            // "native backend not available: ..." or "io_uring not available: ..." names the engine's reason; add the properties.
            throw new IllegalStateException(e.getMessage() + " (aio.backend=" + properties.getBackend().name().toLowerCase(Locale.ROOT)
                    + ", aio.io-uring=" + properties.getIoUring().name().toLowerCase(Locale.ROOT) + ")", e);
        }
    }

    /** Starts with the context and closes the engine (drain, then cancel) when it closes; for the single (or primary) engine. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(AioEngine.class)
    AioEngineLifecycle aioEngineLifecycle(AioEngine engine, AioProperties properties) {
        return new AioEngineLifecycle(engine, properties.getShutdown().getGracePeriod());
    }

    /** The thread that runs pollCb of the single (or primary) engine; off with {@code aio.poll.enabled=false}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(AioEngine.class)
    @ConditionalOnBooleanProperty(name = "aio.poll.enabled", matchIfMissing = true)
    AioPoller aioPoller(AioEngine engine, AioProperties properties) {
        return new AioPoller(engine, properties.getThreadNamePrefix() + "-poller", properties.getShutdown().getGracePeriod());
    }

    /** With several engine beans: a poller for each engine that no AioPoller bean polls (off with {@code aio.poll.enabled=false}). */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(AioEngineCount.Several.class)
    @ConditionalOnBooleanProperty(name = "aio.poll.enabled", matchIfMissing = true)
    AioEnginePollers aioEnginePollers(Map<String, AioEngine> engines, ObjectProvider<AioPoller> pollers, AioProperties properties) {
        return new AioEnginePollers(engines, pollers, properties.getThreadNamePrefix(), properties.getShutdown().getGracePeriod());
    }

    /**
     * The injectable service, jailed in {@code aio.root} when set (the engine's jail, opened now and
     * closed with the context); its futures go through every {@link AioCompletionDecorator} bean, in order.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(AioEngine.class)
    AioTemplate aioTemplate(AioEngine engine, AioProperties properties, ObjectProvider<AioCompletionDecorator> decorators) {
        return new AioTemplate(engine, properties.getRoot(), AioCompletionDecorator.of(decorators.orderedStream().toList()));
    }

    /** The submitter's context restored around each completion ({@code aio.context-propagation.enabled}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ContextSnapshotFactory.class)
    @ConditionalOnBooleanProperty(name = "aio.context-propagation.enabled", matchIfMissing = true)
    static final class ContextPropagationConfiguration {

        /** Applied last: the callbacks run inside the restored context, after any other decorator. */
        @Bean
        @ConditionalOnMissingBean
        @Order(Ordered.LOWEST_PRECEDENCE - 100)
        AioContextPropagation aioContextPropagation(AioProperties properties) {
            return new AioContextPropagation(properties.getContextPropagation().isMdc());
        }
    }

    /** An Observation per request ({@code aio.observations.enabled}, off by default), into the ObservationRegistry bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBooleanProperty(name = "aio.observations.enabled")
    static final class ObservationConfiguration {

        /** Applied first: the observation stops before the callbacks run. */
        @Bean
        @ConditionalOnMissingBean
        @Order(0)
        AioObservations aioObservations(ObjectProvider<ObservationRegistry> registry, ListableBeanFactory beans) {
            return new AioObservations(registry.getIfAvailable(() -> ObservationRegistry.NOOP), engineName(beans));
        }
    }

    /**
     * The bean name of the single (or primary) engine, for tags; {@code aio} when there is none.
     *
     * @param beans the bean factory
     * @return the name
     */
    public static String engineName(ListableBeanFactory beans) {
        String[] names = beans.getBeanNamesForType(AioEngine.class, false, false);
        if (names.length == 1) {
            return names[0];
        }
        if (beans instanceof ConfigurableListableBeanFactory f) {
            for (String n : names) {
                if (f.containsBeanDefinition(n) && f.getBeanDefinition(n).isPrimary()) {
                    return n;
                }
            }
        }
        return "aio";
    }
}
