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
