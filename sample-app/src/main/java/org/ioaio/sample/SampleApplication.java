package org.ioaio.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The aio sample: a file server jailed in a data directory ({@code aio.root}), with a JSON API,
 * background jobs (du, copy, move, delete) that can be watched and cancelled, Actuator metrics and
 * a live dashboard at {@code /}. Every filesystem call goes through the aio engine: no web thread
 * ever waits for the disk.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
