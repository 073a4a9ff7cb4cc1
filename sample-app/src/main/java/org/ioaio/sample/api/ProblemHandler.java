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

package org.ioaio.sample.api;

import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.ioaio.AioException;
import org.ioaio.spring.boot.AioTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Turns every failure of the API into an RFC 9457 problem ({@code application/problem+json}):
 * {@link ApiProblem}s and Spring's own (bad JSON, unsupported media type...) through {@link
 * ResponseEntityExceptionHandler}; an {@link AioException} that no handler mapped, by its errno
 * (its path shown relative to the data directory, never as a server path); anything else as a 500
 * that is logged.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Log LOG = LogFactory.getLog(ProblemHandler.class);

    private final Path root;

    /** Shows paths relative to the template's root. */
    public ProblemHandler(AioTemplate aio) {
        this.root = aio.root().orElse(Path.of("/"));
    }

    /** A request failure that the controller did not map itself. */
    @ExceptionHandler(AioException.class)
    public Mono<ResponseEntity<Object>> aio(AioException e, ServerWebExchange exchange) {
        return handleException(ApiProblem.of(e, root), exchange);
    }

    /** A future's failure, unwrapped. */
    @ExceptionHandler(CompletionException.class)
    public Mono<ResponseEntity<Object>> completion(CompletionException e, ServerWebExchange exchange) {
        Throwable cause = e.getCause();
        if (cause instanceof AioException a) {
            return aio(a, exchange);
        }
        if (cause instanceof Exception ex) {
            return handleException(ex, exchange).switchIfEmpty(Mono.defer(() -> unexpected(ex, exchange)));
        }
        return unexpected(e, exchange);
    }

    /** Anything else: a 500, logged. */
    @ExceptionHandler(Exception.class)
    public Mono<ResponseEntity<Object>> unexpected(Exception e, ServerWebExchange exchange) {
        LOG.error("unexpected failure of " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath(), e);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred; see the server log");
        p.setType(java.net.URI.create("/problems/unexpected"));
        p.setTitle("Internal error");
        return Mono.just(ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(p));
    }
}
