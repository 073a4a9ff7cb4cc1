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

package org.ioaio.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioWorkingDirectory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit Jupiter extension that gives each test a fresh aio engine, jailed in a temporary
 * directory, and checks it after the test:
 *
 * <pre>{@code
 * @RegisterExtension
 * final AioEngineExtension aio = AioEngineExtension.create().withFaults();
 *
 * @Test
 * void reportsAFullDisk() {
 *     aio.faults().failAlways("pwrite", Errno.ENOSPC);
 *     CompletableFuture<?> saved = new MyStore(aio.jailed()).save("a.txt", "x");
 *     assertThatThrownBy(() -> aio.await(saved)).hasCauseInstanceOf(AioException.class);
 * }
 * }</pre>
 *
 * <p>Before each test: a temporary directory ({@link #root()}), an engine ({@link #engine()}; on
 * {@link AioFaults} with {@link #withFaults()}), and the engine's jail of the directory ({@link
 * #jailed()}: paths relative to the root, none leaving it). Nothing polls the engine on its own:
 * a test drives it as IO::AIO's users do, with {@link #await(CompletableFuture)} or {@link
 * #flush()} (or hands the engine to something that polls, such as the starter's {@code AioPoller}).
 *
 * <p>After each test: it fails the test if requests were still outstanding (a future or callback
 * never waited for) or if a callback threw; then it closes the engine (cancelling what is left),
 * the jail, and deletes the directory.
 */
public final class AioEngineExtension implements BeforeEachCallback, AfterEachCallback {

    /** How long closing the engine after a test lets queued requests drain. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final List<Consumer<AioEngine.Builder>> customizers = new ArrayList<>();
    private boolean faulty;
    private boolean checkOutstanding = true;

    private Path root;
    private AioFaults faults;
    private AioEngine engine;
    private AioWorkingDirectory jail;
    private AioEngine jailed;

    private AioEngineExtension() {}

    /** An extension whose engines use the builder's defaults. */
    public static AioEngineExtension create() {
        return new AioEngineExtension();
    }

    /** Each test's engine runs on a fresh {@link AioFaults} ({@link #faults()}): the portable backend, no fault until the test adds one. */
    public AioEngineExtension withFaults() {
        faulty = true;
        return this;
    }

    /**
     * Applies {@code customizer} to each test's engine builder (threads, limits...).
     *
     * @param customizer changes the builder
     * @return this
     */
    public AioEngineExtension customize(Consumer<AioEngine.Builder> customizer) {
        if (customizer == null) {
            throw new IllegalArgumentException("customizer must not be null");
        }
        customizers.add(customizer);
        return this;
    }

    /**
     * Whether a test fails when requests are still outstanding after it (on by default).
     *
     * @param check {@code false} for tests that leave requests on purpose (they are cancelled)
     * @return this
     */
    public AioEngineExtension checkOutstanding(boolean check) {
        checkOutstanding = check;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("aio-test-");
        AioEngine.Builder builder = AioEngine.builder().name("aio-test");
        if (faulty) {
            faults = AioFaults.create();
            faults.install(builder);
        }
        customizers.forEach(c -> c.accept(builder));
        engine = builder.build();
        try {
            jail = AioWorkingDirectory.jail(root);
        } catch (AioException e) {
            engine.close();
            throw new UncheckedIOException("aio-test: cannot open the jail of " + root, e);
        }
        jailed = engine.in(jail);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        AioEngine e = engine;
        if (e == null) {
            return;
        }
        long outstanding = e.nreqs();
        long callbackFailures = e.callbackFailures();
        try {
            e.close(CLOSE_GRACE);
            jail.close();
        } finally {
            deleteTree(root);
            engine = null;
            jailed = null;
            jail = null;
            faults = null;
        }
        if (checkOutstanding && outstanding > 0) {
            throw new AssertionError(outstanding + " aio request(s) were still outstanding when the test ended (they were"
                    + " cancelled): await() their futures or flush() the engine in the test");
        }
        if (callbackFailures > 0) {
            throw new AssertionError(callbackFailures + " aio callback(s) or feeder(s) threw during the test (each was logged)");
        }
    }

    /** The test's engine (not jailed: its paths are the process's). */
    public AioEngine engine() {
        return require(engine);
    }

    /** The engine's view jailed in {@link #root()}: relative paths resolve beneath it, and none leaves it (EXDEV). */
    public AioEngine jailed() {
        return require(jailed);
    }

    /** The test's temporary directory, deleted after the test. */
    public Path root() {
        return require(root);
    }

    /**
     * The test's faults.
     *
     * @return the faults
     * @throws IllegalStateException unless the extension was made {@link #withFaults()}
     */
    public AioFaults faults() {
        if (!faulty) {
            throw new IllegalStateException("this AioEngineExtension has no faults: make it with AioEngineExtension.create().withFaults()");
        }
        return require(faults);
    }

    /** Polls until no request is outstanding: every callback has run, every future is complete. */
    public void flush() {
        engine().flush();
    }

    /**
     * Polls the engine, on this thread, until {@code future} is done, and returns its value.
     *
     * @param future a future of one of the engine's requests, or a stage of one
     * @param <T> the value type
     * @return the value
     * @throws java.util.concurrent.CompletionException with the request's failure as its cause
     * @throws IllegalStateException when the future is not done and no request is outstanding (it never will be)
     */
    public <T> T await(CompletableFuture<T> future) {
        AioEngine e = engine();
        while (!future.isDone()) {
            if (e.nreqs() == 0) {
                e.pollCb();
                if (!future.isDone()) {
                    throw new IllegalStateException("the future is not done and no aio request is outstanding: it is not the engine's");
                }
                break;
            }
            e.poll();
        }
        return future.join();
    }

    private static <T> T require(T value) {
        if (value == null) {
            throw new IllegalStateException("AioEngineExtension: only inside a test (register it with @RegisterExtension)");
        }
        return value;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String toString() {
        return "AioEngineExtension[" + (faulty ? "faults, " : "") + (root == null ? "idle" : root) + "]";
    }
}
