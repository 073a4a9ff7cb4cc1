package org.ioaio.spring.boot.actuate;

import org.ioaio.AioEngine;
import org.ioaio.spring.boot.AioAutoConfiguration;
import org.ioaio.spring.boot.AioPoller;
import org.ioaio.spring.boot.AioProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/** The {@code aio} health indicator, when Spring Boot's health support is present and {@code management.health.aio.enabled} is not false. */
@AutoConfiguration(after = AioAutoConfiguration.class, before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, AioEngine.class })
@ConditionalOnSingleCandidate(AioEngine.class)
@ConditionalOnBean(AioProperties.class)
@ConditionalOnEnabledHealthIndicator("aio")
public final class AioHealthContributorAutoConfiguration {

    /** The indicator, named {@code aio} in the health report. */
    @Bean
    @ConditionalOnMissingBean
    AioHealthIndicator aioHealthIndicator(AioEngine engine, AioProperties properties, ObjectProvider<AioPoller> poller) {
        AioProperties.Health health = properties.getHealth();
        String backlog = health.getBacklogStatus();
        return new AioHealthIndicator(engine, poller.getIfUnique(), health.getMaxWait(), health.getMaxPollDelay(),
                health.getMaxStall(), backlog == null || backlog.isEmpty() ? null : new Status(backlog));
    }
}
