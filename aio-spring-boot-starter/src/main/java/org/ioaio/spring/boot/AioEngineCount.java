package org.ioaio.spring.boot;

import org.ioaio.AioEngine;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Conditions on how many {@link AioEngine} beans the context defines (a primary one counts as one of several). */
public abstract class AioEngineCount implements ConfigurationCondition {

    AioEngineCount() {}

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    /** The number of engine beans. */
    static int engines(ConditionContext context) {
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        return beans == null ? 0 : beans.getBeanNamesForType(AioEngine.class, true, false).length;
    }

    /** Exactly one engine. */
    public static final class One extends AioEngineCount {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return engines(context) == 1;
        }
    }

    /** Two or more engines. */
    public static final class Several extends AioEngineCount {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return engines(context) > 1;
        }
    }
}
