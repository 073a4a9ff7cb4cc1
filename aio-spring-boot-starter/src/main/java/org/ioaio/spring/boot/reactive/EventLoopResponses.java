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

import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * Writes every response on its connection's event loop, and aborts a connection whose response
 * fails after it was committed.
 *
 * <p>Registered by {@link AioEventLoopResponsesAutoConfiguration} in a reactive web application on
 * Reactor Netty ({@code aio.reactive.event-loop-responses}, on by default).
 *
 * <p>The engine completes its futures on the poller thread, so without this filter a response is
 * encoded, written and completed from the poller. Reactor Netty (1.3.x) then races on keep-alive
 * connections: the client reads the last bytes and sends its next request, which the event loop
 * reads before it has processed the end of the previous exchange, and that request is never
 * answered (a few in every ten thousand under 32 keep-alive clients; the same with any thread
 * other than the event loop, so it is not the engine's). Here the response's writes are
 * subscribed, its body delivered and the exchange completed on the event loop, as when a handler
 * answers at once, and the race cannot happen.
 *
 * <p>A body that fails after the status line and headers were sent (a file that changed or
 * shrank while it was sent) cannot be turned into a problem: the connection is closed, so the
 * client sees a truncated response instead of waiting for bytes that never come.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class EventLoopResponses implements WebFilter {

    private static final Log LOG = LogFactory.getLog(EventLoopResponses.class);

    /** Wraps the exchange's response when it runs on Reactor Netty; passes it through otherwise. */
    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        if (!(nativeRequest instanceof Connection connection)) {
            return chain.filter(exchange);
        }
        Channel channel = connection.channel();
        Scheduler loop = Schedulers.fromExecutor(channel.eventLoop());
        ServerHttpResponse response = new OnLoop(exchange.getResponse(), loop, channel);
        return chain.filter(exchange.mutate().response(response).build()).publishOn(loop);
    }

    /** The response whose writes run on {@code loop}. */
    private static final class OnLoop extends ServerHttpResponseDecorator {

        private final Scheduler loop;
        private final Channel channel;

        OnLoop(ServerHttpResponse delegate, Scheduler loop, Channel channel) {
            super(delegate);
            this.loop = loop;
            this.channel = channel;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            // A buffer still queued for the event loop when the write is cancelled is released, not dropped.
            Flux<? extends DataBuffer> onLoop = Flux.from(body).publishOn(loop, 1).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
            return abortIfCommitted(onLoop(() -> super.writeWith(onLoop), () -> Flux.from(body)));
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            Flux<Flux<DataBuffer>> onLoop = Flux.from(body)
                    .map(p -> Flux.<DataBuffer>from(p).publishOn(loop, 1).doOnDiscard(DataBuffer.class, DataBufferUtils::release))
                    .publishOn(loop, 1);
            return abortIfCommitted(onLoop(() -> super.writeAndFlushWith(onLoop), () -> Flux.from(body).concatMap(Flux::from)));
        }

        /**
         * {@code write} subscribed on the event loop. If it is cancelled before it was subscribed
         * (the client went away meanwhile), the body it would have written is drained and released:
         * an encoder hands over buffers it already made ({@code Mono.just(buffer)}), which nothing
         * else would release.
         */
        private Mono<Void> onLoop(java.util.function.Supplier<Mono<Void>> write, java.util.function.Supplier<Flux<? extends DataBuffer>> body) {
            java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
            return Mono.defer(() -> claimed.compareAndSet(false, true) ? write.get() : Mono.<Void>empty())
                    .subscribeOn(loop)
                    .doOnCancel(() -> {
                        if (claimed.compareAndSet(false, true)) {
                            body.get().subscribe(DataBufferUtils::release, e -> { });
                        }
                    });
        }

        @Override
        public Mono<Void> setComplete() {
            return Mono.defer(super::setComplete).subscribeOn(loop);
        }

        /** A write that fails once the headers are out ends the connection: nothing else can tell the client. */
        private Mono<Void> abortIfCommitted(Mono<Void> write) {
            return write.onErrorResume(e -> {
                if (!isCommitted()) {
                    return Mono.error(e);
                }
                LOG.warn("response failed after it was committed; closing the connection: " + e);
                channel.close();
                return Mono.empty();
            });
        }
    }
}
