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

package org.ioaio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.ioaio.AioBackend;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.spring.boot.reactive.ReactiveAioTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * aio.root: AioTemplate and ReactiveAioTemplate submit every request through the engine's jail of
 * the root, on both backends. A path that leaves it ('..', a symbolic link leading out, existing or
 * dangling) fails with EXDEV from the engine, when the request runs; an absolute path elsewhere
 * fails with EXDEV at the call, nothing queued; an absolute path under the root is made relative to it.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = AioBackend.class, names = {"NIO", "NATIVE"})
class AioTemplateJailTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Parameter
    AioBackend backend;

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private AioEngine engine;
    private AioPoller poller;
    private AioTemplate aio;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectory(tmp.resolve("root"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        Files.writeString(root.resolve("inside.txt"), "inside");
        Files.createDirectory(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("escape"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("escape-dir"), outside);
        Files.createSymbolicLink(root.resolve("dangling-out"), outside.resolve("not-yet"));
        Files.createSymbolicLink(root.resolve("relative-out"), Path.of("../outside/secret"));
        Files.createSymbolicLink(root.resolve("relative-dangling-out"), Path.of("../outside/not-yet"));
        Files.createSymbolicLink(root.resolve("ok-link"), Path.of("sub/../inside.txt"));
        engine = engine(backend, 2);
        poller = new AioPoller(engine, "jail-test-poller", Duration.ofSeconds(5));
        poller.start();
        aio = new AioTemplate(engine, root);
    }

    /** An engine on {@code backend}; the test is skipped, with the engine's reason, where that backend is unavailable. */
    static AioEngine engine(AioBackend backend, int threads) {
        try {
            return AioEngine.builder().backend(backend).minParallel(threads).build();
        } catch (IllegalStateException e) {
            Assumptions.abort("backend " + backend + " unavailable on this machine: " + e.getMessage());
            throw e;
        }
    }

    @AfterEach
    void tearDown() {
        if (poller != null) {
            poller.stop();
        }
        if (engine != null) {
            assertThat(engine.close(Duration.ofSeconds(5))).isTrue();
        }
        if (aio != null) {
            aio.close();
        }
    }

    // '..' that climbs out of the root fails with EXDEV from the engine's jail.
    @Test
    void refusesDotDotClimbingOut() {
        assertEngineRefused("../outside/secret", aio::stat);
        assertEngineRefused("sub/../../outside/secret", aio::stat);
        assertEngineRefused("..", aio::stat);
    }

    // An absolute path outside the root fails with EXDEV at the call; one inside is made relative and served.
    @Test
    void refusesAbsolutePathsOutsideTheRoot() throws Exception {
        assertEngineRefused(outside.resolve("secret").toString(), aio::load);
        assertEngineRefused("/etc/passwd", aio::load);
        assertEngineRefused(root.resolve("inside.txt").toString(), aio::load); // the jail's paths are relative
        String inside = aio.relativize(root.resolve("inside.txt").toString()).toString();
        assertThat(aio.load(inside).get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("inside");
        assertThat(aio.stat(aio.relativize(root.toString()).toString()).get(30, TimeUnit.SECONDS).isDirectory()).isTrue();
    }

    // An absolute path under the root that climbs out with '..' is passed on relative, and the engine refuses it.
    @Test
    void anAbsolutePathUnderTheRootThatClimbsOutIsRefusedByTheEngine() throws Exception {
        String climbing = root + "/../outside/secret";
        assertThat(aio.relativize(climbing)).isEqualTo(Path.of("../outside/secret"));
        assertEngineRefused(climbing, aio::load);
    }

    // relativize gives "." for the empty path under a root; the empty path itself is ENOENT, as to any syscall.
    @Test
    void theEmptyPathIsTheRootOnlyThroughRelativize() throws Exception {
        assertThat(aio.relativize("")).isEqualTo(Path.of("."));
        assertThatThrownBy(() -> aio.stat("").get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                .satisfies(e -> assertThat(((AioException) e).error()).isEqualTo(Errno.ENOENT));
        FileStat st = aio.stat(".").get(30, TimeUnit.SECONDS);
        assertThat(st.isDirectory()).isTrue();
        assertThat(st.ino()).isEqualTo(Files.getAttribute(root, "unix:ino"));
    }

    // A NUL character fails with ENOENT, as a syscall would answer it (the name is never cut at the NUL).
    @Test
    void refusesNul() {
        CompletableFuture<byte[]> f = aio.load("inside.txt\0../../etc/passwd");
        assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).error()).isEqualTo(Errno.ENOENT));
    }

    // A symbolic link whose target is outside the root is not followed, absolute or relative, file or directory.
    @Test
    void refusesSymlinksLeadingOut() {
        assertEngineRefused("escape", aio::load);
        assertEngineRefused("relative-out", aio::stat);
        assertEngineRefused("escape-dir/secret", aio::stat);
        assertEngineRefused("escape-dir", aio::stat);
        assertEngineRefused("escape-dir", aio::readdir);
    }

    // A dangling link pointing out is not followed to create its target, absolute or relative.
    @Test
    void refusesCreatingThroughADanglingLinkThatPointsOut() {
        int create = AioConstants.O_WRONLY | AioConstants.O_CREAT;
        assertEngineRefused("dangling-out", p -> aio.open(p, create, 0644));
        assertEngineRefused("relative-dangling-out", p -> aio.open(p, create, 0644));
        assertThat(outside.resolve("not-yet")).doesNotExist();
    }

    // A symbolic link pointing out may be created (its target is data), but no request through the template follows it.
    @Test
    void aSymlinkPointingOutIsNeverFollowed() throws Exception {
        aio.symlink("../outside/secret", "new-link").get(30, TimeUnit.SECONDS);
        aio.symlink(outside.toString(), "new-abs-link").get(30, TimeUnit.SECONDS);
        aio.symlink("../outside/planted", "new-dangling").get(30, TimeUnit.SECONDS);
        assertThat(Files.readSymbolicLink(root.resolve("new-link"))).isEqualTo(Path.of("../outside/secret"));
        assertEngineRefused("new-link", aio::load);
        assertEngineRefused("new-abs-link/secret", p -> aio.open(p, AioConstants.O_WRONLY | AioConstants.O_TRUNC, 0));
        assertEngineRefused("new-dangling", p -> aio.open(p, AioConstants.O_WRONLY | AioConstants.O_CREAT, 0644));
        assertThat(outside.resolve("planted")).doesNotExist();
        assertThat(outside.resolve("secret")).hasContent("secret");
    }

    // Two-path requests are jailed on both paths.
    @Test
    void refusesEitherPathOfARename() {
        assertEngineRefused("inside.txt", p -> aio.rename(p, "../outside/moved"));
        assertEngineRefused("../outside/secret", p -> aio.rename(p, "stolen"));
        assertEngineRefused("inside.txt", p -> aio.rename(p, "escape-dir/moved"));
        assertEngineRefused(outside.resolve("moved").toString(), p -> aio.rename("inside.txt", p));
        assertThat(root.resolve("inside.txt")).exists();
        assertThat(outside.resolve("secret")).exists();
        assertThat(outside.resolve("moved")).doesNotExist();
    }

    // Directory and tree requests are jailed too: listing through a link out, copying a file that lies outside.
    @Test
    void refusesDirectoryAndTreeRequestsLeavingTheRoot() throws Exception {
        assertEngineRefused("..", p -> aio.scandir(p, 0));
        assertEngineRefused("../outside", p -> aio.readdirx(p, 0));
        assertEngineRefused("escape", p -> aio.copy(p, "stolen"));
        assertEngineRefused("../outside", p -> aio.copyTree(p, "stolen-dir"));
        assertEngineRefused("sub", p -> aio.copyTree(p, "../outside/planted"));
        assertEngineRefused("../outside", aio::rmtree);
        assertThat(root.resolve("stolen")).doesNotExist();
        assertThat(outside.resolve("planted")).doesNotExist();
        assertThat(outside.resolve("secret")).exists();
        assertThat(aio.readdir(".").get(30, TimeUnit.SECONDS)).extracting(Path::toString)
                .contains("inside.txt", "sub", "escape", "escape-dir");
    }

    // Paths given as Path objects are jailed the same way.
    @Test
    void refusesPathObjectsToo() throws Exception {
        assertEngineRefused("../outside/secret", p -> aio.stat(Path.of(p)));
        assertEngineRefused("escape", p -> aio.stat(Path.of(p)));
        assertEngineRefused(outside.resolve("secret").toString(), p -> aio.stat(Path.of(p)));
        assertThat(aio.stat(aio.relativize(root.resolve("inside.txt"))).join().size()).isEqualTo(6);
    }

    // An absolute path is the jail's to refuse when the request runs, on a worker: the submitting thread decides nothing.
    @Test
    void anAbsolutePathIsRefusedWhenTheRequestRuns() {
        try (AioEngine stopped = AioEngine.builder().backend(backend).minParallel(0).maxParallel(0).build();
                AioTemplate jailed = new AioTemplate(stopped, root)) {
            CompletableFuture<FileStat> f = jailed.stat(outside.resolve("secret").toString());
            assertThat(f).isNotDone();
            assertThat(stopped.nreqs()).isEqualTo(1);
            stopped.maxParallel(1);
            stopped.flush(); // this engine has no poller: the test thread delivers
            assertThat(f).isCompletedExceptionally();
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .satisfies(e -> assertExdev(e.getCause(), null));
        }
    }

    // Relative paths resolve against the root, '..' that stays inside is fine, links inside are followed.
    @Test
    void resolvesInsideTheRoot() throws Exception {
        assertThat(aio.load("inside.txt").get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("inside");
        assertThat(aio.load("sub/../inside.txt").get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("inside");
        assertThat(aio.load("ok-link").get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("inside");
        aio.mkdir("sub/new", 0755).get(30, TimeUnit.SECONDS);
        assertThat(root.resolve("sub/new")).isDirectory();
        assertThat(aio.relativize("sub/x")).isEqualTo(Path.of("sub/x"));
        assertThat(aio.relativize(root.resolve("sub/x").toString())).isEqualTo(Path.of("sub/x"));
        assertThat(aio.relativize(root)).isEqualTo(Path.of("."));
        assertThat(aio.view().workingDirectory()).isNotNull().satisfies(wd -> assertThat(wd.isJail()).isTrue());
    }

    // relativize maps an absolute path through the root as configured or through its canonical path (the configured
    // root reached through a symlink) to the path inside; given as they are, absolute paths are the jail's to refuse.
    @Test
    void anAbsolutePathThroughTheCanonicalRootIsInside() throws Exception {
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), root);
        try (AioTemplate aliased = new AioTemplate(engine, alias)) {
            assertThat(aliased.root()).contains(alias);
            for (Path p : new Path[] {root.resolve("inside.txt"), alias.resolve("inside.txt")}) {
                assertThat(aliased.relativize(p)).isEqualTo(Path.of("inside.txt"));
                assertThat(aliased.load(aliased.relativize(p.toString()).toString()).get(30, TimeUnit.SECONDS))
                        .asString(StandardCharsets.UTF_8).isEqualTo("inside");
                assertEngineRefused(p.toString(), aliased::load);
            }
        }
    }

    // Requests that do not follow the last component may act on an escaping link itself: lstat sees it, unlink removes it.
    @Test
    void actsOnAnEscapingLinkItselfWithoutFollowingIt() throws Exception {
        assertThat(aio.lstat("escape").get(30, TimeUnit.SECONDS).isSymbolicLink()).isTrue();
        aio.unlink("escape").get(30, TimeUnit.SECONDS);
        assertThat(root.resolve("escape")).doesNotExist();
        assertThat(outside.resolve("secret")).exists();
    }

    // Views with a priority or a timeout share the jail; closing the template releases it and later requests fail with EBADF.
    @Test
    void viewsShareTheJailAndCloseReleasesIt() throws Exception {
        AioTemplate urgent = aio.withPriority(4).withDeadline(Duration.ofSeconds(30));
        assertEngineRefused("../outside/secret", urgent::stat);
        assertThat(urgent.load("inside.txt").get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("inside");
        urgent.close(); // a view's close releases nothing
        assertThat(aio.stat("inside.txt").get(30, TimeUnit.SECONDS).isRegularFile()).isTrue();
        AioWorkingDirectory jail = aio.view().workingDirectory();
        aio.close();
        assertThat(jail.isOpen()).isFalse();
        assertThatThrownBy(() -> aio.stat("inside.txt").get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().satisfies(e -> assertThat(((AioException) e).error()).isEqualTo(Errno.EBADF));
    }

    // A view's priority reaches the engine through the jail: its path request queues at that priority, the next one at 0.
    @Test
    void aPriorityViewQueuesJailedRequestsAtItsPriority() {
        try (AioEngine held = AioEngine.builder().backend(backend).minParallel(0).maxParallel(0).build();
                AioTemplate jailed = new AioTemplate(held, root)) {
            CompletableFuture<FileStat> high = jailed.withPriority(3).stat("inside.txt");
            CompletableFuture<FileStat> plain = jailed.stat("inside.txt");
            assertThat(held.nreadyByPriority()[3 + 4]).isEqualTo(1);
            assertThat(held.nreadyByPriority()[4]).isEqualTo(1);
            assertThat(high).isNotDone();
            assertThat(plain).isNotDone();
        }
    }

    // A root that cannot be opened as a jail fails at construction, naming it.
    @Test
    void aRootThatCannotBeOpenedFailsAtConstruction() {
        Path missing = tmp.resolve("missing");
        assertThatThrownBy(() -> new AioTemplate(engine, missing)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining(missing.toString()).cause().isInstanceOf(AioException.class);
    }

    // Without a root, paths go to the engine as given.
    @Test
    void withoutARootPathsAreNotJailed() throws Exception {
        AioTemplate free = new AioTemplate(engine);
        assertThat(free.root()).isEmpty();
        assertThat(free.view()).isSameAs(engine);
        assertThat(free.load(outside.resolve("secret").toString()).get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
                .isEqualTo("secret");
    }

    // The reactive template refuses the same paths, as an error signal.
    @Test
    void reactiveTemplateRefusesTheSamePaths() {
        ReactiveAioTemplate reactive = new ReactiveAioTemplate(aio);
        StepVerifier.create(reactive.mono(t -> t.stat("../outside/secret"))).expectErrorSatisfies(e -> assertExdev(e, "../outside/secret"))
                .verify(WAIT);
        StepVerifier.create(reactive.mono(t -> t.load("/etc/passwd"))).expectErrorSatisfies(e -> assertExdev(e, "/etc/passwd")).verify(WAIT);
        StepVerifier.create(reactive.readContent("escape")).expectErrorSatisfies(e -> assertExdev(e, "escape")).verify(WAIT);
        StepVerifier.create(reactive.writeContent(Flux.empty(), "dangling-out"))
                .expectErrorSatisfies(e -> assertExdev(e, "dangling-out")).verify(WAIT);
        assertThat(outside.resolve("not-yet")).doesNotExist();
    }

    /** The engine's jail refuses {@code path} with EXDEV when the request runs. */
    private static <T> void assertEngineRefused(String path, Function<String, CompletableFuture<T>> call) {
        CompletableFuture<T> f = call.apply(path);
        assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).as("%s", path).isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertExdev(e.getCause(), null));
    }

    private static void assertExdev(Throwable e, String path) {
        assertThat(e).isInstanceOf(AioException.class);
        AioException a = (AioException) e;
        assertThat(a.error()).as("%s", a).isEqualTo(Errno.EXDEV);
        if (path != null) {
            assertThat(a.path()).isEqualTo(path);
        }
    }
}
