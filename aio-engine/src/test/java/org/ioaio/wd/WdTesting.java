package org.ioaio.wd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.Errno;
import org.ioaio.internal.Platform;

/** Helpers of the working directory and jail tests: engines, outcomes, snapshots of what must not change. */
final class WdTesting {

    private WdTesting() {}

    /** The backends to run a test on: the portable one, and the native one where this JVM has it. */
    static Stream<AioBackend> backends() {
        return Platform.nativeLayer().available() ? Stream.of(AioBackend.NIO, AioBackend.NATIVE) : Stream.of(AioBackend.NIO);
    }

    /** An engine on {@code backend}, two workers. */
    static AioEngine engine(AioBackend backend) {
        return AioEngine.builder().minParallel(2).backend(backend).build();
    }

    /** Flushes and returns the future's value, failing the test if it failed. */
    static <T> T await(AioEngine aio, AioFuture<T> f) {
        aio.flush();
        assertThat(f).as("future after flush").isDone();
        Throwable t = catchThrowable(f::join);
        assertThat(t).as("future failure").isNull();
        return f.join();
    }

    /**
     * Flushes and returns the errno the future failed with, 0 if it succeeded (a file or working
     * directory it yielded is closed).
     */
    static int errno(AioEngine aio, AioFuture<?> f) {
        aio.flush();
        assertThat(f).as("future after flush").isDone();
        try {
            Object v = f.join();
            if (v instanceof AioFile file) {
                file.close();
            } else if (v instanceof AioWorkingDirectory w) {
                w.close();
            }
            return 0;
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(AioException.class);
            return ((AioException) e.getCause()).errno();
        } catch (AioException e) {
            throw new AssertionError(e);
        }
    }

    /** The errno as its name, for readable assertion messages ("EXDEV", "0" for success). */
    static String name(int errno) {
        if (errno == 0) {
            return "0 (success)";
        }
        Errno e = Errno.of(errno);
        return e == null ? String.valueOf(errno) : e.name();
    }

    /**
     * Everything below {@code root} that a request could change, by relative path: type, mode,
     * owner, size, link count, inode, modification and change times, and a regular file's content
     * hash or a symlink's target. {@code skip} (relative to {@code root}) is left out with its
     * subtree. Symlinks are never followed.
     */
    static Map<String, String> snapshot(Path root, Path skip) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = root.relativize(p);
                if (skip != null && rel.startsWith(skip)) {
                    continue;
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,nlink,ino,lastModifiedTime,ctime",
                        LinkOption.NOFOLLOW_LINKS);
                StringBuilder sb = new StringBuilder();
                for (String k : List.of("mode", "uid", "gid", "size", "nlink", "ino", "lastModifiedTime", "ctime")) {
                    sb.append(k).append('=').append(a.get(k)).append(' ');
                }
                if (Files.isSymbolicLink(p)) {
                    sb.append("-> ").append(Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    sb.append("sha256=").append(sha256(Files.readAllBytes(p)));
                }
                out.put(rel.toString(), sb.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names in {@code dir} (not recursive). */
    static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
