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

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioEngine;
import org.ioaio.spring.boot.actuate.AioEndpoint;
import org.ioaio.spring.boot.actuate.AioEndpointAutoConfiguration;
import org.ioaio.spring.boot.actuate.AioHealthContributorAutoConfiguration;
import org.ioaio.spring.boot.actuate.AioHealthIndicator;
import org.ioaio.spring.boot.metrics.AioEngineMetrics;
import org.ioaio.spring.boot.metrics.AioMetricsAutoConfiguration;
import org.ioaio.spring.boot.metrics.AioRequestMetrics;
import org.ioaio.spring.boot.reactive.AioReactiveAutoConfiguration;
import org.ioaio.spring.boot.reactive.ReactiveAioTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** Several AioEngine beans: the auto-configuration does not fail; meters and health name each engine (its bean name). */
class SeveralEnginesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AioAutoConfiguration.class, AioMetricsAutoConfiguration.class,
                    AioEndpointAutoConfiguration.class, AioHealthContributorAutoConfiguration.class,
                    AioReactiveAutoConfiguration.class, EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("management.endpoints.web.exposure.include=aio", "aio.shutdown.grace-period=5s");

    /** Two engines, one primary (the application's own). */
    @Configuration(proxyBeanMethods = false)
    static class PrimaryAndArchive {
        @Bean
        @Primary
        AioEngine mainEngine() {
            return AioEngine.builder().name("main").build();
        }

        @Bean
        AioEngine archiveEngine() {
            return AioEngine.builder().name("archive").build();
        }
    }

    /** Two engines, neither primary. */
    @Configuration(proxyBeanMethods = false)
    static class TwoPeers {
        @Bean
        AioEngine leftEngine() {
            return AioEngine.builder().name("left").build();
        }

        @Bean
        AioEngine rightEngine() {
            return AioEngine.builder().name("right").build();
        }
    }

    /** One engine: the gauges and the timers carry aio.engine=aioEngine. */
    @Test
    void singleEngineMetersNameIt() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(AioHealthIndicator.class).doesNotHaveBean("aioHealthContributor");
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(AioEngineMetrics.class).bindTo(registry);
            context.getBean(AioRequestMetrics.class).bindTo(registry);
            context.getBean(AioTemplate.class).nop().get(30, TimeUnit.SECONDS);
            assertThat(registry.get("aio.requests.outstanding").tag(AioEngineMetrics.ENGINE_TAG, "aioEngine").gauge()).isNotNull();
            assertThat(registry.get("aio.request.execution").tag(AioEngineMetrics.ENGINE_TAG, "aioEngine").tag("op", "nop").timer().count())
                    .isEqualTo(1);
            assertThat(context.getBean(AioEndpoint.class).aio().settings()).containsEntry("engine", "aioEngine");
        });
    }

    /** With a primary engine and another: the template, poller and lifecycle are the primary's; meters, health and the endpoint cover both. */
    @Test
    void primaryAndAnotherEngine() {
        runner.withUserConfiguration(PrimaryAndArchive.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(AioTemplate.class).hasSingleBean(ReactiveAioTemplate.class)
                    .hasSingleBean(AioPoller.class)
                    .hasSingleBean(AioEngineLifecycle.class).hasSingleBean(AioEndpoint.class).doesNotHaveBean(AioHealthIndicator.class);
            AioEngine main = context.getBean("mainEngine", AioEngine.class);
            AioEngine archive = context.getBean("archiveEngine", AioEngine.class);
            assertThat(context.getBean(AioTemplate.class).engine()).isSameAs(main);
            assertThat(context.getBean(AioPoller.class).engine()).isSameAs(main);
            assertThat(context.getBean(AioTemplate.class).nop().get(30, TimeUnit.SECONDS)).isNull();

            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(AioEngineMetrics.class).bindTo(registry);
            assertThat(registry.find("aio.requests.outstanding").gauges()).hasSize(2);
            assertThat(registry.get("aio.requests.outstanding").tag(AioEngineMetrics.ENGINE_TAG, "mainEngine").gauge()).isNotNull();
            assertThat(registry.get("aio.requests.outstanding").tag(AioEngineMetrics.ENGINE_TAG, "archiveEngine").gauge()).isNotNull();

            CompositeHealthContributor health = context.getBean("aioHealthContributor", CompositeHealthContributor.class);
            assertThat(((HealthIndicator) health.getContributor("mainEngine")).health().getStatus()).isEqualTo(Status.UP);
            assertThat(((HealthIndicator) health.getContributor("archiveEngine")).health().getStatus()).isEqualTo(Status.UP);

            AioEndpoint endpoint = context.getBean(AioEndpoint.class);
            assertThat(endpoint.aio().settings()).containsEntry("engine", "mainEngine");
            assertThat(endpoint.aio().poller()).isNotNull();
            AioEndpoint.AioDescriptor other = endpoint.engine("archiveEngine");
            assertThat(other).isNotNull();
            assertThat(other.settings()).containsEntry("engine", "archiveEngine");
            assertThat(other.poller()).isNotNull();
            assertThat(endpoint.engine("noSuchEngine")).isNull();
            // The other engine is polled too (by AioEnginePollers): its futures complete on their own.
            assertThat(context.getBean(AioEnginePollers.class).pollerOf(archive)).isNotNull();
            assertThat(context.getBean(AioEnginePollers.class).pollerOf(main)).isNull();
            assertThat(archive.nop().get(30, TimeUnit.SECONDS)).isNull();
        });
    }

    /** Two engines, neither primary: the context starts; no template (it could not choose); meters and health for both. */
    @Test
    void twoEnginesWithoutAPrimary() {
        runner.withUserConfiguration(TwoPeers.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(AioTemplate.class).doesNotHaveBean(ReactiveAioTemplate.class)
                    .doesNotHaveBean(AioPoller.class)
                    .doesNotHaveBean(AioEndpoint.class).hasSingleBean(AioEngineMetrics.class);
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(AioEngineMetrics.class).bindTo(registry);
            assertThat(registry.get("aio.threads").tag(AioEngineMetrics.ENGINE_TAG, "leftEngine").tag("state", "idle").gauge()).isNotNull();
            assertThat(registry.get("aio.threads").tag(AioEngineMetrics.ENGINE_TAG, "rightEngine").tag("state", "idle").gauge()).isNotNull();
            CompositeHealthContributor health = context.getBean("aioHealthContributor", CompositeHealthContributor.class);
            assertThat(health.getContributor("leftEngine")).isInstanceOf(AioHealthIndicator.class);
            assertThat(health.getContributor("rightEngine")).isInstanceOf(AioHealthIndicator.class);
            assertThat(context.getBean("leftEngine", AioEngine.class).nop().get(30, TimeUnit.SECONDS)).isNull();
            assertThat(context.getBean("rightEngine", AioEngine.class).nop().get(30, TimeUnit.SECONDS)).isNull();
        });
    }

    /** The application's own poller for one engine: the starter polls the other one, and not that one twice. */
    @Test
    void applicationPollerForOneEngine() {
        runner.withUserConfiguration(TwoPeers.class)
                .withUserConfiguration(LeftPoller.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AioEngine left = context.getBean("leftEngine", AioEngine.class);
                    AioEngine right = context.getBean("rightEngine", AioEngine.class);
                    AioEnginePollers pollers = context.getBean(AioEnginePollers.class);
                    assertThat(pollers.pollerOf(left)).isNull();
                    assertThat(pollers.pollerOf(right)).isNotNull();
                    assertThat(left.nop().get(30, TimeUnit.SECONDS)).isNull();
                    assertThat(right.nop().get(30, TimeUnit.SECONDS)).isNull();
                });
    }

    /** The application's poller of leftEngine. */
    @Configuration(proxyBeanMethods = false)
    static class LeftPoller {
        @Bean
        AioPoller leftPoller(@Qualifier("leftEngine") AioEngine left) {
            return new AioPoller(left, "left-poller", Duration.ofSeconds(5));
        }
    }
}
