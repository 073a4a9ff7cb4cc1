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

package org.ioaio.spring.boot.reactive;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ioaio.AioConstants;
import org.ioaio.AioFile;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.DirEntry;
import org.ioaio.DirListing;
import org.ioaio.DirScan;
import org.ioaio.spring.boot.AioTemplate;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * {@link AioTemplate} for Project Reactor, a thin adapter: any request as a cold {@link Mono}
 * ({@link #mono(Function)}: nothing is submitted until it is subscribed; each subscription submits
 * its own request), directory listings as {@link Flux}es of entries, file contents as {@code
 * Flux<DataBuffer>} and writing a {@code Publisher<DataBuffer>} to a file; requests that yield a
 * resource ({@code open}, {@code wd}, {@code jail}) release it when the subscription is cancelled.
 *
 * <p>Cancelling a subscription cancels the request in flight ({@link org.ioaio.AioRequest#cancel()}:
 * not executed if still queued). Signals arrive on the poller thread: never block downstream of
 * these publishers without {@code publishOn}. Serving HTTP on Reactor Netty, responses are written on
 * the connection's event loop by {@link EventLoopResponses} (registered by default): Reactor Netty
 * 1.3 loses an occasional keep-alive response that completes on another thread, such as the poller. Paths
 * go through the underlying template, so under {@code aio.root} they are resolved by the engine's
 * jail on a worker when the request runs, never on the subscribing thread (a path leaving the root
 * is an error signal, {@link org.ioaio.AioException} with EXDEV).
 *
 * <p>Directory listings ({@code readdir}, {@code readdirx}, {@code scandir}) are streams: each is
 * one request whose result is emitted entry by entry.
 */
public class ReactiveAioTemplate {

    /** The read chunk size when none is given: 64 KiB. */
    public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;

    private static final int CREATE_FLAGS = AioConstants.O_WRONLY | AioConstants.O_CREAT | AioConstants.O_TRUNC;

    private final AioTemplate template;
    private final int chunkSize;
    private final DataBufferFactory bufferFactory;

    /**
     * A reactive template over {@code template}, reading in chunks of {@link #DEFAULT_CHUNK_SIZE}.
     *
     * @param template the template
     */
    public ReactiveAioTemplate(AioTemplate template) {
        this(template, DEFAULT_CHUNK_SIZE, DefaultDataBufferFactory.sharedInstance);
    }

    /**
     * A reactive template over {@code template}.
     *
     * @param template the template
     * @param chunkSize the size of each read request of {@link #readContent(String)}, 1 or more
     * @param bufferFactory wraps the chunks read into {@link DataBuffer}s
     */
    public ReactiveAioTemplate(AioTemplate template, int chunkSize, DataBufferFactory bufferFactory) {
        if (template == null || bufferFactory == null) {
            throw new IllegalArgumentException("template and bufferFactory must not be null");
        }
        this.template = template;
        this.chunkSize = checkChunk(chunkSize);
        this.bufferFactory = bufferFactory;
    }

    /** The template behind this one. */
    public AioTemplate template() {
        return template;
    }

    /** The default read chunk size. */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * A view whose requests have priority {@code pri} (see {@link AioTemplate#withPriority(int)}).
     *
     * @param pri -4 to 4
     * @return the view
     */
    public ReactiveAioTemplate withPriority(int pri) {
        return new ReactiveAioTemplate(template.withPriority(pri), chunkSize, bufferFactory);
    }

    /**
     * A view whose requests time out if still queued after {@code timeout} (see {@link
     * AioTemplate#withDeadline(Duration)}).
     *
     * @param timeout positive, or {@code null} for none
     * @return the view
     */
    public ReactiveAioTemplate withDeadline(@Nullable Duration timeout) {
        return new ReactiveAioTemplate(template.withDeadline(timeout), chunkSize, bufferFactory);
    }

    /**
     * Any request as a cold {@link Mono}: {@code reactive.mono(aio -> aio.stat("a.txt"))}. Each
     * subscription submits the request through this template's view (its root, priority and
     * deadline); cancelling the subscription cancels the request; a {@code null} value completes
     * empty; a failure is the request's {@link org.ioaio.AioException} (or timeout, cancellation).
     *
     * @param request makes the request's future from the template, on the subscribing thread (which
     *     it never blocks: paths are resolved on a worker)
     * @param <T> the value type
     * @return the request's value
     */
    public <T> Mono<T> mono(Function<? super AioTemplate, ? extends CompletableFuture<? extends T>> request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        return mono(() -> request.apply(template));
    }

    // ------------------------------------------------------------------------------------------
    // Contents
    // ------------------------------------------------------------------------------------------

    /**
     * A file's contents in chunks of {@link #chunkSize()}: opens the file on subscription, issues
     * one read request per chunk only as the subscriber requests, and closes the file on
     * completion, error or cancel (cancel also cancels the read in flight).
     *
     * @param path the file
     * @return the chunks
     */
    public Flux<DataBuffer> readContent(String path) {
        return readContent(path, chunkSize);
    }

    /**
     * A file's contents in chunks of {@code chunkSize}, read on demand; see {@link #readContent(String)}.
     *
     * @param path the file
     * @param chunkSize bytes per read request, 1 or more
     * @return the chunks
     */
    public Flux<DataBuffer> readContent(String path, int chunkSize) {
        checkChunk(chunkSize);
        return readOpened(() -> template.open(path, AioConstants.O_RDONLY, 0), chunkSize);
    }

    /**
     * A file's contents in chunks of {@link #chunkSize()}, read on demand; see {@link #readContent(String)}.
     *
     * @param path the file
     * @return the chunks
     */
    public Flux<DataBuffer> readContent(Path path) {
        return readContent(path, chunkSize);
    }

    /**
     * A file's contents in chunks of {@code chunkSize}, read on demand; see {@link #readContent(String)}.
     *
     * @param path the file
     * @param chunkSize bytes per read request, 1 or more
     * @return the chunks
     */
    public Flux<DataBuffer> readContent(Path path, int chunkSize) {
        checkChunk(chunkSize);
        return readOpened(() -> template.open(path, AioConstants.O_RDONLY, 0), chunkSize);
    }

    /**
     * An open file's contents from {@code position} to its end, read on demand with positional
     * reads; the file is left open (it is the caller's).
     *
     * @param file the file
     * @param position where to start, 0 or more
     * @param chunkSize bytes per read request, 1 or more
     * @return the chunks
     */
    public Flux<DataBuffer> readContent(AioFile file, long position, int chunkSize) {
        checkChunk(chunkSize);
        if (file == null || position < 0) {
            throw new IllegalArgumentException("file must not be null and position not negative, got " + position);
        }
        return chunks(file, position, chunkSize);
    }

    /**
     * Writes {@code data} to a file, creating or truncating it (mode 0666 minus the umask); each
     * buffer is written fully, one write request at a time, and released. The file is closed when
     * {@code data} ends, fails or the subscription is cancelled.
     *
     * @param data the bytes
     * @param path the file
     * @return the number of bytes written
     */
    public Mono<Long> writeContent(Publisher<? extends DataBuffer> data, String path) {
        return writeContent(data, path, CREATE_FLAGS, 0666);
    }

    /**
     * Writes {@code data} to a file opened with {@code flags} (add {@link AioConstants#O_APPEND} to
     * append); see {@link #writeContent(Publisher, String)}.
     *
     * @param data the bytes
     * @param path the file
     * @param flags {@code O_*} flags, {@code O_WRONLY} or {@code O_RDWR} among them
     * @param mode permission bits for a created file
     * @return the number of bytes written
     */
    public Mono<Long> writeContent(Publisher<? extends DataBuffer> data, String path, int flags, int mode) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        return writeOpened(data, () -> template.open(path, flags, mode));
    }

    /**
     * Writes {@code data} to a file, creating or truncating it; see {@link #writeContent(Publisher, String)}.
     *
     * @param data the bytes
     * @param path the file
     * @return the number of bytes written
     */
    public Mono<Long> writeContent(Publisher<? extends DataBuffer> data, Path path) {
        return writeContent(data, path, CREATE_FLAGS, 0666);
    }

    /**
     * Writes {@code data} to a file opened with {@code flags}; see {@link #writeContent(Publisher, String)}.
     *
     * @param data the bytes
     * @param path the file
     * @param flags {@code O_*} flags
     * @param mode permission bits for a created file
     * @return the number of bytes written
     */
    public Mono<Long> writeContent(Publisher<? extends DataBuffer> data, Path path, int flags, int mode) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        return writeOpened(data, () -> template.open(path, flags, mode));
    }

    /**
     * Writes {@code data} to an open file at its position; the file is left open.
     *
     * @param data the bytes
     * @param file the file
     * @return the number of bytes written
     */
    public Mono<Long> writeContent(Publisher<? extends DataBuffer> data, AioFile file) {
        if (data == null || file == null) {
            throw new IllegalArgumentException("data and file must not be null");
        }
        return writeAll(data, file);
    }

    // ------------------------------------------------------------------------------------------
    // Requests that yield a resource: a cancelled subscription releases it instead of dropping it
    // ------------------------------------------------------------------------------------------

    /**
     * Reactive {@link AioTemplate#open(String, int, int)}; the file is the subscriber's to close. A
     * cancelled subscription lets the open finish and closes the file.
     *
     * @param path the file
     * @param flags {@code O_*} flags
     * @param mode permission bits for a created file
     * @return the open file
     */
    public Mono<AioFile> open(String path, int flags, int mode) {
        return opening(() -> template.open(path, flags, mode));
    }

    /**
     * Reactive {@link AioTemplate#open(Path, int, int)}; see {@link #open(String, int, int)}.
     *
     * @param path the file
     * @param flags {@code O_*} flags
     * @param mode permission bits for a created file
     * @return the open file
     */
    public Mono<AioFile> open(Path path, int flags, int mode) {
        return opening(() -> template.open(path, flags, mode));
    }

    /** Reactive {@link AioTemplate#wd(Path)}; a cancelled subscription closes the working directory when it arrives. */
    public Mono<AioWorkingDirectory> wd(Path dir) {
        return closingOnCancel(() -> template.wd(dir), ReactiveAioTemplate::closeQuietly);
    }

    /** Reactive {@link AioTemplate#jail(Path)}; a cancelled subscription closes the jail when it arrives. */
    public Mono<AioWorkingDirectory> jail(Path dir) {
        return closingOnCancel(() -> template.jail(dir), ReactiveAioTemplate::closeQuietly);
    }

    private static void closeQuietly(AioWorkingDirectory wd) {
        try {
            wd.close();
        } catch (RuntimeException e) {
            // released as far as it can be; nobody is waiting for it
        }
    }

    // ------------------------------------------------------------------------------------------
    // Directories as streams
    // ------------------------------------------------------------------------------------------

    /** {@code aio_readdir} as a stream of names ({@link AioTemplate#readdir(String)}); one request, cancelled with the subscription. */
    public Flux<Path> readdir(String path) {
        return mono(() -> template.readdir(path)).flatMapIterable(names -> names);
    }

    /** {@code aio_readdir} as a stream of names ({@link AioTemplate#readdir(Path)}). */
    public Flux<Path> readdir(Path path) {
        return mono(() -> template.readdir(path)).flatMapIterable(names -> names);
    }

    /**
     * {@code aio_readdirx} as a stream of entries ({@link AioTemplate#readdirx(String, int)}); an
     * entry whose type could not be told has type {@code DT_UNKNOWN}.
     *
     * @param path the directory
     * @param flags {@code READDIR_*} flags
     * @return the entries, in the order the flags ask for
     */
    public Flux<DirEntry> readdirx(String path, int flags) {
        return mono(() -> template.readdirx(path, flags)).flatMapIterable(DirListing::entries);
    }

    /**
     * {@code aio_readdirx} as a stream of entries ({@link AioTemplate#readdirx(Path, int)}).
     *
     * @param path the directory
     * @param flags {@code READDIR_*} flags
     * @return the entries, in the order the flags ask for
     */
    public Flux<DirEntry> readdirx(Path path, int flags) {
        return mono(() -> template.readdirx(path, flags)).flatMapIterable(DirListing::entries);
    }

    /**
     * {@code aio_scandir} as a stream ({@link AioTemplate#scandir(Path, int)}): the directories
     * first, then everything else, each marked.
     *
     * @param path the directory
     * @param maxreq stats in flight at most; 0 or less for 4
     * @return the entries, names relative to {@code path}
     */
    public Flux<ScanEntry> scandir(Path path, int maxreq) {
        return mono(() -> template.scandir(path, maxreq)).flatMapIterable(ReactiveAioTemplate::entries);
    }

    /**
     * One name found by {@link #scandir(Path, int)}.
     *
     * @param name the name, relative to the scanned directory
     * @param directory {@code true} for a directory that can be recursed into (never a symlink)
     */
    public record ScanEntry(Path name, boolean directory) {
    }

    private static List<ScanEntry> entries(DirScan scan) {
        List<ScanEntry> all = new ArrayList<>(scan.dirs().size() + scan.nondirs().size());
        for (Path d : scan.dirs()) {
            all.add(new ScanEntry(d, true));
        }
        for (Path n : scan.nondirs()) {
            all.add(new ScanEntry(n, false));
        }
        return all;
    }

    // ------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------

    /** A cold Mono of a request: submitted on subscription, cancelled with the subscription. */
    private static <T> Mono<T> mono(Supplier<? extends CompletableFuture<? extends T>> request) {
        return Mono.fromFuture(request, false);
    }

    private Flux<DataBuffer> readOpened(Supplier<CompletableFuture<AioFile>> opener, int chunk) {
        return Flux.usingWhen(opening(opener), file -> chunks(file, 0, chunk), this::closeFile);
    }

    private Mono<Long> writeOpened(Publisher<? extends DataBuffer> data, Supplier<CompletableFuture<AioFile>> opener) {
        return Mono.usingWhen(opening(opener), file -> writeAll(data, file), this::closeFile);
    }

    /**
     * The open behind {@link #open}, {@link #readContent} and {@link #writeContent}: unlike the other
     * requests, a cancelled subscription does not cancel it (the engine would drop a file it had
     * already opened, leaving it to the garbage collector); the file is closed as soon as it arrives instead.
     */
    private Mono<AioFile> opening(Supplier<CompletableFuture<AioFile>> opener) {
        return closingOnCancel(opener, file -> {
            if (file.isOpen()) {
                template.close(file).exceptionally(e -> null);
            }
        });
    }

    /** A Mono of a request yielding a resource: cancelling waits for the request and releases what it yields. */
    private static <R> Mono<R> closingOnCancel(Supplier<? extends CompletableFuture<R>> request, Consumer<R> release) {
        return Mono.create(sink -> {
            CompletableFuture<R> f = request.get();
            sink.onCancel(() -> f.whenComplete((resource, error) -> {
                if (resource != null) {
                    release.accept(resource);
                }
            }));
            f.whenComplete((resource, error) -> {
                if (error != null) {
                    sink.error(unwrap(error));
                } else {
                    sink.success(resource);
                }
            });
        });
    }

    private Mono<Void> closeFile(AioFile file) {
        return Mono.defer(() -> file.isOpen() ? mono(() -> template.close(file)) : Mono.empty());
    }

    private Flux<DataBuffer> chunks(AioFile file, long position, int chunk) {
        return Flux.create(sink -> new ChunkReader(file, position, chunk, sink).start());
    }

    private Mono<Long> writeAll(Publisher<? extends DataBuffer> data, AioFile file) {
        return Flux.from(data)
                .concatMap(buffer -> {
                    ByteBuffer bytes;
                    try {
                        int n = buffer.readableByteCount();
                        bytes = ByteBuffer.allocate(n);
                        buffer.toByteBuffer(buffer.readPosition(), bytes, 0, n);
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                    return writeFully(file, bytes, 0L);
                }, 1)
                .reduce(0L, Long::sum);
    }

    /** Writes every remaining byte of {@code src} at the file's position, one request at a time. */
    private Mono<Long> writeFully(AioFile file, ByteBuffer src, long written) {
        if (!src.hasRemaining()) {
            return Mono.just(written);
        }
        return mono(() -> template.write(file, null, src))
                .flatMap(n -> n <= 0 && src.hasRemaining()
                        ? Mono.error(new java.io.IOException("write made no progress on " + file.path()))
                        : writeFully(file, src, written + n));
    }

    private static int checkChunk(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be 1 or more, got " + chunkSize);
        }
        return chunkSize;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /**
     * Reads a file chunk by chunk as the subscriber requests: at most one read request in flight,
     * none without demand. {@link #drain()} is serialized by {@link #wip}; a read's completion (on
     * the poller thread) clears {@link #reading} and drains again.
     */
    private final class ChunkReader {

        private final AioFile file;
        private final int chunk;
        private final FluxSink<DataBuffer> sink;
        private final AtomicInteger wip = new AtomicInteger();
        private long position;
        private volatile boolean reading;
        private volatile boolean done;
        private volatile @Nullable CompletableFuture<Integer> current;

        ChunkReader(AioFile file, long position, int chunk, FluxSink<DataBuffer> sink) {
            this.file = file;
            this.position = position;
            this.chunk = chunk;
            this.sink = sink;
        }

        void start() {
            sink.onRequest(n -> drain());
            sink.onCancel(this::cancel);
        }

        private void cancel() {
            done = true;
            CompletableFuture<Integer> f = current;
            if (f != null) {
                f.cancel(false);
            }
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            do {
                if (!reading && !done && sink.requestedFromDownstream() > 0) {
                    reading = true;
                    ByteBuffer buffer = ByteBuffer.allocate(chunk);
                    CompletableFuture<Integer> f;
                    try {
                        f = template.read(file, position, buffer);
                    } catch (RuntimeException e) {
                        done = true;
                        sink.error(e);
                        break;
                    }
                    current = f;
                    f.whenComplete((n, error) -> completed(buffer, n, error));
                }
            } while (wip.decrementAndGet() != 0);
        }

        private void completed(ByteBuffer buffer, @Nullable Integer n, @Nullable Throwable error) {
            current = null;
            if (done) {
                return;
            }
            if (error != null) {
                done = true;
                sink.error(unwrap(error));
                return;
            }
            if (n == null || n <= 0) {
                done = true;
                sink.complete();
                return;
            }
            position += n;
            buffer.flip();
            DataBuffer data = bufferFactory.wrap(buffer);
            reading = false;
            sink.next(data);
            drain();
        }
    }

    @Override
    public String toString() {
        return "ReactiveAioTemplate[" + template + ", chunkSize=" + chunkSize + "]";
    }
}
