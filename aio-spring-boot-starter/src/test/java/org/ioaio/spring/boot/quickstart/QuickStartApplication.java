package org.ioaio.spring.boot.quickstart;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The README quick start's application: the starter, quickstart/application.yml and {@link Documents}. */
@SpringBootApplication
public class QuickStartApplication {

    /** Runs the application. */
    public static void main(String[] args) {
        SpringApplication.run(QuickStartApplication.class, args);
    }
}
