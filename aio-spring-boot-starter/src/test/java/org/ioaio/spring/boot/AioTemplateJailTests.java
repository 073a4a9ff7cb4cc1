package org.ioaio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.spring.boot.reactive.ReactiveAioTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/**
 * aio.root: AioTemplate and ReactiveAioTemplate resolve paths against the root and refuse, with
 * EXDEV and nothing queued, every path that leaves it: '..', absolute paths elsewhere, NUL,
 * symbolic links leading out (existing or dangling).
 */
class AioTemplateJailTests {

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
        Files.createSymbolicLink(root.resolve("ok-link"), Path.of("sub/../inside.txt"));
        engine = AioEngine.builder().minParallel(2).build();
        poller = new AioPoller(engine, "jail-test-poller", java.time.Duration.ofSeconds(5));
        poller.start();
        aio = new AioTemplate(engine, root);
    }

    @AfterEach
    void tearDown() {
        poller.stop();
        assertThat(engine.close(java.time.Duration.ofSeconds(5))).isTrue();
    }

    /** '..' that climbs out of the root is refused. */
    @Test
    void refusesDotDotClimbingOut() {
        assertRefused("../outside/secret", aio::stat);
        assertRefused("sub/../../outside/secret", aio::stat);
        assertRefused("..", aio::stat);
    }

    /** An absolute path outside the root is refused; one inside is accepted. */
    @Test
    void refusesAbsolutePathsOutsideTheRoot() throws Exception {
        assertRefused(outside.resolve("secret").toString(), aio::load);
        assertRefused("/etc/passwd", aio::load);
        assertThat(aio.load(root.resolve("inside.txt").toString()).get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
                .isEqualTo("inside");
    }

    /** A NUL character is refused. */
    @Test
    void refusesNul() {
        assertRefused("inside.txt\0../../etc/passwd", aio::load);
    }

    /** A symbolic link whose target is outside the root is refused, absolute or relative, file or directory. */
    @Test
    void refusesSymlinksLeadingOut() {
        assertRefused("escape", aio::load);
        assertRefused("relative-out", aio::stat);
        assertRefused("escape-dir/secret", aio::stat);
        assertRefused("escape-dir", aio::stat);
    }

    /** A dangling link pointing out is refused where the request would follow it (creating the target). */
    @Test
    void refusesCreatingThroughADanglingLinkThatPointsOut() {
        int create = AioConstants.O_WRONLY | AioConstants.O_CREAT;
        CompletableFuture<AioFile> f = aio.open("dangling-out", create, 0644);
        assertRefusedFuture(f, "dangling-out");
        assertThat(outside.resolve("not-yet")).doesNotExist();
    }

    /** A new symbolic link whose target points out is refused. */
    @Test
    void refusesCreatingASymlinkThatPointsOut() {
        assertRefusedFuture(aio.symlink("../outside/secret", "new-link"), "../outside/secret");
        assertRefusedFuture(aio.symlink(outside.toString(), "new-link"), outside.toString());
        assertThat(root.resolve("new-link")).doesNotExist();
    }

    /** Two-path requests check both paths. */
    @Test
    void refusesEitherPathOfARename() {
        assertRefusedFuture(aio.rename("inside.txt", "../outside/moved"), "../outside/moved");
        assertRefusedFuture(aio.rename("../outside/secret", "stolen"), "../outside/secret");
        assertThat(root.resolve("inside.txt")).exists();
        assertThat(outside.resolve("secret")).exists();
    }

    /** Directory and tree requests are jailed too: listing through a link out, copying a file that lies outside. */
    @Test
    void refusesDirectoryAndTreeRequestsLeavingTheRoot() throws Exception {
        assertRefused("escape-dir", aio::readdir);
        assertRefusedFuture(aio.scandir("..", 0), "..");
        assertRefusedFuture(aio.readdirx("../outside", 0), "../outside");
        assertRefusedFuture(aio.copy("escape", "stolen"), "escape");
        assertRefusedFuture(aio.copyTree("../outside", "stolen-dir"), "../outside");
        assertRefusedFuture(aio.copyTree("sub", "../outside/planted"), "../outside/planted");
        assertRefusedFuture(aio.rmtree("../outside"), "../outside");
        assertThat(root.resolve("stolen")).doesNotExist();
        assertThat(outside.resolve("secret")).exists();
        assertThat(aio.readdir(".").get(30, TimeUnit.SECONDS)).extracting(Path::toString)
                .contains("inside.txt", "sub", "escape", "escape-dir");
    }

    /** Paths given as Path objects are jailed the same way. */
    @Test
    void refusesPathObjectsToo() {
        assertRefusedFuture(aio.stat(Path.of("../outside/secret")), "../outside/secret");
        assertRefusedFuture(aio.stat(outside.resolve("secret")), outside.resolve("secret").toString());
        assertRefusedFuture(aio.stat(Path.of("escape")), "escape");
    }

    /** A refusal queues nothing: it is already failed when the call returns, on an engine that executes nothing. */
    @Test
    void aRefusalQueuesNothing() {
        try (AioEngine stopped = AioEngine.builder().minParallel(0).maxParallel(0).build()) {
            AioTemplate jailed = new AioTemplate(stopped, root);
            CompletableFuture<FileStat> f = jailed.stat("../outside/secret");
            assertThat(f).isCompletedExceptionally();
            assertThat(stopped.nreqs()).isZero();
        }
    }

    /** Relative paths resolve against the root, '..' that stays inside is fine, links inside are followed. */
    @Test
    void resolvesInsideTheRoot() throws Exception {
        assertThat(aio.load("inside.txt").get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("inside");
        assertThat(aio.load("sub/../inside.txt").get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("inside");
        assertThat(aio.load("ok-link").get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("inside");
        aio.mkdir("sub/new", 0755).get(30, TimeUnit.SECONDS);
        assertThat(root.resolve("sub/new")).isDirectory();
        assertThat(aio.resolve("sub/x")).isEqualTo(root.resolve("sub/x"));
    }

    /** Requests that do not follow the last component may act on an escaping link itself: lstat sees it, unlink removes it. */
    @Test
    void actsOnAnEscapingLinkItselfWithoutFollowingIt() throws Exception {
        assertThat(aio.lstat("escape").get(30, TimeUnit.SECONDS).isSymbolicLink()).isTrue();
        aio.unlink("escape").get(30, TimeUnit.SECONDS);
        assertThat(root.resolve("escape")).doesNotExist();
        assertThat(outside.resolve("secret")).exists();
    }

    /** Without a root, paths go to the engine as given. */
    @Test
    void withoutARootPathsAreNotJailed() throws Exception {
        AioTemplate free = new AioTemplate(engine);
        assertThat(free.root()).isEmpty();
        assertThat(free.load(outside.resolve("secret").toString()).get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
                .isEqualTo("secret");
    }

    /** The reactive template refuses the same paths, as an error signal. */
    @Test
    void reactiveTemplateRefusesTheSamePaths() {
        ReactiveAioTemplate reactive = new ReactiveAioTemplate(aio);
        StepVerifier.create(reactive.stat("../outside/secret")).expectErrorSatisfies(e -> assertExdev(e, "../outside/secret"))
                .verify(java.time.Duration.ofSeconds(30));
        StepVerifier.create(reactive.load("/etc/passwd")).expectErrorSatisfies(e -> assertExdev(e, "/etc/passwd"))
                .verify(java.time.Duration.ofSeconds(30));
        StepVerifier.create(reactive.readContent("escape")).expectErrorSatisfies(e -> assertExdev(e, "escape"))
                .verify(java.time.Duration.ofSeconds(30));
        StepVerifier.create(reactive.writeContent(reactor.core.publisher.Flux.empty(), "dangling-out"))
                .expectErrorSatisfies(e -> assertExdev(e, "dangling-out")).verify(java.time.Duration.ofSeconds(30));
        assertThat(outside.resolve("not-yet")).doesNotExist();
    }

    private static <T> void assertRefused(String path, Function<String, CompletableFuture<T>> call) {
        assertRefusedFuture(call.apply(path), path);
    }

    private static void assertRefusedFuture(CompletableFuture<?> f, String path) {
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).satisfies(e -> assertExdev(e.getCause(), path));
    }

    private static void assertExdev(Throwable e, String path) {
        assertThat(e).isInstanceOf(AioException.class);
        AioException a = (AioException) e;
        assertThat(a.error()).isEqualTo(Errno.EXDEV);
        assertThat(a.path()).isEqualTo(path);
        assertThat(a.getCause()).hasMessageContaining("aio.root jail");
    }
}
