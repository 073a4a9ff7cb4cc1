package org.ioaio.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes the data directory exist before the {@code aio.*} properties are bound (the starter
 * refuses an {@code aio.root} that is not an existing directory): {@code aio.root} as configured,
 * {@code aio-data} beside the working directory by default, made absolute so that logs and the
 * Actuator endpoint show where it is.
 */
public class DataDirectory implements EnvironmentPostProcessor, Ordered {

    /** The data directory when {@code aio.root} is not set: relative to where the application runs. */
    public static final String DEFAULT = "aio-data";

    /** Runs right after the configuration files were read. */
    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty("aio.root");
        Path dir = Path.of(configured == null || configured.isBlank() ? DEFAULT : configured).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory aio.root=" + dir, e);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("sampleDataDirectory", Map.of("aio.root", dir.toString())));
    }
}
