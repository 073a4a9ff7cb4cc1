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

package org.ioaio.spring.boot.newuser;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.ioaio.spring.boot.AioTemplate;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Service;

/** A new user's application: the starter on the class path, application.yml, and a service injecting AioTemplate. */
@SpringBootApplication
public class NewUserApplication {

    /** Runs the application. */
    public static void main(String[] args) {
        SpringApplication.run(NewUserApplication.class, args);
    }

    /** Reads text files asynchronously, relative to aio.root. */
    @Service
    public static class Documents {

        private final AioTemplate aio;

        /** Injected with the auto-configured template. */
        public Documents(AioTemplate aio) {
            this.aio = aio;
        }

        /** The text of a document, relative to aio.root. */
        public CompletableFuture<String> read(String name) {
            return aio.load(name).thenApply(bytes -> new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
