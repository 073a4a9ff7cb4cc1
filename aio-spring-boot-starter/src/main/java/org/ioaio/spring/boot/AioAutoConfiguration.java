package org.ioaio.spring.boot;

import java.util.List;
import java.util.Locale;
import org.ioaio.AioEngine;
import org.ioaio.AioListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of aio: the {@link AioEngine} built from the {@code aio.*} properties, its
 * lifecycle, the poller thread and the {@link AioTemplate}. Each bean backs off when the
 * application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass(AioEngine.class)
@EnableConfigurationProperties(AioProperties.class)
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
                .recordTimes(properties.isRecordTimes());
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

    /** Starts with the context and closes the engine (drain, then cancel) when it closes. */
    @Bean
    @ConditionalOnMissingBean
    AioEngineLifecycle aioEngineLifecycle(AioEngine engine, AioProperties properties) {
        return new AioEngineLifecycle(engine, properties.getShutdown().getGracePeriod());
    }

    /** The thread that runs pollCb; off with {@code aio.poll.enabled=false}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "aio.poll.enabled", matchIfMissing = true)
    AioPoller aioPoller(AioEngine engine, AioProperties properties) {
        return new AioPoller(engine, properties.getThreadNamePrefix() + "-poller", properties.getShutdown().getGracePeriod());
    }

    /** The injectable service, jailed in {@code aio.root} when set (the engine's jail, opened now and closed with the context). */
    @Bean
    @ConditionalOnMissingBean
    AioTemplate aioTemplate(AioEngine engine, AioProperties properties) {
        return new AioTemplate(engine, properties.getRoot());
    }
}
