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
