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
