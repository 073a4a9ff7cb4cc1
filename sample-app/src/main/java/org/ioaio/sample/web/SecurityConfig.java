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

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Who may do what: reads ({@code GET}, {@code HEAD}, {@code OPTIONS}) are open; every write
 * ({@code PUT}, {@code POST}, {@code DELETE}, {@code PATCH}: uploads, deletes, moves, jobs,
 * Actuator writes) needs HTTP Basic credentials: Spring Boot's user {@code user} with the
 * password it generates and logs at start ("Using generated security password"), or the user set
 * with {@code spring.security.user.name} / {@code spring.security.user.password}.
 *
 * <p>Stateless: no session, no cookie; each write carries its credentials. A write that a browser
 * sends from another site ({@code Sec-Fetch-Site: cross-site}) is refused (403) even with
 * credentials the browser remembered, which is what CSRF protection is for here. Every refusal
 * is an {@code application/problem+json} problem.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableWebFluxSecurity
public class SecurityConfig {

    /** The realm browsers show in their login dialog. */
    static final String REALM = "aio sample";

    /** Reads open, writes authenticated, refusals as problems. */
    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
        ServerAuthenticationEntryPoint unauthorized = (exchange, e) -> {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
            return Problems.write(exchange.getResponse(), HttpStatus.UNAUTHORIZED, "unauthorized", "Authentication required",
                    "Writes need credentials (HTTP Basic): see the README for the user and its password");
        };
        ServerAccessDeniedHandler denied = (exchange, e) -> Problems.write(exchange.getResponse(), HttpStatus.FORBIDDEN,
                "forbidden", "Forbidden", "This request is not allowed: " + e.getMessage());
        return http
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                // Downloads keep their own caching (ETag, Last-Modified): no blanket no-store.
                .headers(h -> h.cache(ServerHttpSecurity.HeaderSpec.CacheSpec::disable))
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(denied))
                .authorizeExchange(a -> a
                        .matchers(SecurityConfig::crossSiteWrite).denyAll()
                        .pathMatchers(HttpMethod.GET, "/**").permitAll()
                        .pathMatchers(HttpMethod.HEAD, "/**").permitAll()
                        .pathMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        .anyExchange().authenticated())
                .build();
    }

    /** A write a browser sent from another site. */
    private static Mono<ServerWebExchangeMatcher.MatchResult> crossSiteWrite(ServerWebExchange exchange) {
        HttpMethod m = exchange.getRequest().getMethod();
        boolean write = !(HttpMethod.GET.equals(m) || HttpMethod.HEAD.equals(m) || HttpMethod.OPTIONS.equals(m));
        String site = exchange.getRequest().getHeaders().getFirst("Sec-Fetch-Site");
        return write && "cross-site".equalsIgnoreCase(site)
                ? ServerWebExchangeMatcher.MatchResult.match()
                : ServerWebExchangeMatcher.MatchResult.notMatch();
    }

    /**
     * No request firewall in front of the API: it would refuse {@code ..}, encoded slashes, NULs
     * and backslashes with a generic 400 before the API can say which rule a path breaks; the API
     * checks every path itself ({@code ApiPath}: 400 problems) and the starter's jail resolves
     * it. A firewall rejection, should one be configured, is still a problem.
     */
    @Bean
    ServerWebExchangeFirewall apiChecksItsOwnPaths() {
        return ServerWebExchangeFirewall.INSECURE_NOOP;
    }

    /** A request a firewall rejects (before any handler) is a 400 problem, not a bare 400. */
    @Bean
    ServerExchangeRejectedHandler problemOnRejectedExchange() {
        return (exchange, e) -> Problems.write(exchange.getResponse(), HttpStatus.BAD_REQUEST, "rejected-request", "Request rejected",
                "The request's URL is not accepted: give a plain path relative to the data directory");
    }
}
