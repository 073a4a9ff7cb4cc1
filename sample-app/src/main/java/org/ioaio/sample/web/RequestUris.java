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

package org.ioaio.sample.web;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Makes every request target a valid URI before Spring parses it, so that no request is refused
 * with a bare 400 before the application sees it.
 *
 * <p>Spring answers a target that is not a valid URI (a raw backslash, {@code C:\...}, {@code
 * \\host\...}, a {@code %} not followed by two hex digits as in {@code %u2216} or {@code %uff0e})
 * with an empty 400 of its own, before any filter runs. Here such characters are percent-encoded
 * instead ({@code \} as {@code %5C}, a stray {@code %} as {@code %25}, other characters a URI does
 * not allow likewise), and the request goes on to the API, which checks the decoded path: a
 * backslash is a 400 problem ({@code ApiPath}), a literal {@code %u2216} an ordinary name.
 */
@Component
public class RequestUris implements NettyServerCustomizer {

    private static final ChannelHandler ENCODER = new Encoder();

    /** Adds the encoding handler after the HTTP codec of every connection. */
    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, address) -> {
            ChannelPipeline p = channel.pipeline();
            if (p.get(NettyPipeline.HttpCodec) != null && p.get(Encoder.NAME) == null) {
                p.addAfter(NettyPipeline.HttpCodec, Encoder.NAME, ENCODER);
            }
        });
    }

    /**
     * {@code target} with every character a URI does not allow percent-encoded (as UTF-8), and
     * every {@code %} that does not start an escape encoded as {@code %25}; a valid target is
     * returned unchanged.
     */
    static String encode(String target) {
        StringBuilder b = null;
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            boolean ok = allowed(c) || (c == '%' && hex(target, i + 1) && hex(target, i + 2));
            if (ok) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(target.length() + 16).append(target, 0, i);
            }
            int cp = target.codePointAt(i);
            if (Character.isSupplementaryCodePoint(cp)) {
                i++;
            }
            for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(x & 0xF, 16)));
            }
        }
        return b == null ? target : b.toString();
    }

    private static boolean hex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128;
    }

    /** RFC 3986's unreserved, sub-delims, gen-delims (the target's own structure) characters. */
    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@/?#[]".indexOf(c) >= 0;
    }

    /** Rewrites the target of each request read. */
    @ChannelHandler.Sharable
    private static final class Encoder extends ChannelInboundHandlerAdapter {

        static final String NAME = "aio.sample.requestUris";

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                String uri = request.uri();
                String encoded = encode(uri);
                if (!encoded.equals(uri)) {
                    request.setUri(encoded);
                }
            }
            ctx.fireChannelRead(msg);
        }
    }
}
