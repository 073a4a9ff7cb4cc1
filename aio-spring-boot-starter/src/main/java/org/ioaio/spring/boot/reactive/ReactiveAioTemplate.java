package org.ioaio.spring.boot.reactive;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ioaio.AioConstants;
import org.ioaio.AioFile;
import org.ioaio.AioGroup;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.DirEntry;
import org.ioaio.DirListing;
import org.ioaio.DirScan;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;
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
 * {@link AioTemplate} for Project Reactor: every request as a cold {@link Mono} (nothing is
 * submitted until it is subscribed; each subscription submits its own request), file contents as
 * {@code Flux<DataBuffer>} and writing a {@code Publisher<DataBuffer>} to a file.
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
     * AioTemplate#withTimeout(Duration)}).
     *
     * @param timeout positive, or {@code null} for none
     * @return the view
     */
    public ReactiveAioTemplate withTimeout(@Nullable Duration timeout) {
        return new ReactiveAioTemplate(template.withTimeout(timeout), chunkSize, bufferFactory);
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

    /** Reactive {@link AioTemplate#wd(String)}; a cancelled subscription closes the working directory when it arrives. */
    public Mono<AioWorkingDirectory> wd(String dir) {
        return closingOnCancel(() -> template.wd(dir), ReactiveAioTemplate::closeQuietly);
    }

    /** Reactive {@link AioTemplate#wd(Path)}; a cancelled subscription closes the working directory when it arrives. */
    public Mono<AioWorkingDirectory> wd(Path dir) {
        return closingOnCancel(() -> template.wd(dir), ReactiveAioTemplate::closeQuietly);
    }

    /** Reactive {@link AioTemplate#jail(String)}; a cancelled subscription closes the jail when it arrives. */
    public Mono<AioWorkingDirectory> jail(String dir) {
        return closingOnCancel(() -> template.jail(dir), ReactiveAioTemplate::closeQuietly);
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
     * {@code aio_scandir} as a stream ({@link AioTemplate#scandir(String, int)}): the directories
     * first, then everything else, each marked.
     *
     * @param path the directory
     * @param maxreq stats in flight at most; 0 or less for 4
     * @return the entries, names relative to {@code path}
     */
    public Flux<ScanEntry> scandir(String path, int maxreq) {
        return mono(() -> template.scandir(path, maxreq)).flatMapIterable(ReactiveAioTemplate::entries);
    }

    /**
     * {@code aio_scandir} as a stream ({@link AioTemplate#scandir(Path, int)}): directories first.
     *
     * @param path the directory
     * @param maxreq stats in flight at most; 0 or less for 4
     * @return the entries, names relative to {@code path}
     */
    public Flux<ScanEntry> scandir(Path path, int maxreq) {
        return mono(() -> template.scandir(path, maxreq)).flatMapIterable(ReactiveAioTemplate::entries);
    }

    /**
     * One name found by {@link #scandir(String, int)}.
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
    // Requests that are not filesystem calls
    // ------------------------------------------------------------------------------------------

    /** Reactive {@link AioTemplate#nop()}. */
    public Mono<Void> nop() {
        return mono(template::nop);
    }

    /** Reactive {@link AioTemplate#busy(double)}. */
    public Mono<Void> busy(double seconds) {
        return mono(() -> template.busy(seconds));
    }

    /** Reactive {@link AioTemplate#busy(Duration)}. */
    public Mono<Void> busy(Duration duration) {
        return mono(() -> template.busy(duration));
    }

    /** Reactive {@link AioTemplate#custom(Callable)}: the task runs on a worker thread; empty when it returns {@code null}. */
    public <T> Mono<T> custom(Callable<T> task) {
        return mono(() -> template.custom(task));
    }

    /** Reactive {@link AioTemplate#group(Consumer)}: cancelling cancels the group and its members. */
    public Mono<Object> group(@Nullable Consumer<AioGroup> init) {
        return mono(() -> template.group(init));
    }

    // ------------------------------------------------------------------------------------------
    // Filesystem requests: each mirrors AioTemplate's
    // ------------------------------------------------------------------------------------------

    /** Reactive {@link AioTemplate#close(AioFile)}. */
    public Mono<Void> close(AioFile file) {
        return mono(() -> template.close(file));
    }

    /** Reactive {@link AioTemplate#seek(AioFile, long, int)}. */
    public Mono<Long> seek(AioFile file, long offset, int whence) {
        return mono(() -> template.seek(file, offset, whence));
    }

    /** Reactive {@link AioTemplate#read(AioFile, Long, ByteBuffer)}. */
    public Mono<Integer> read(AioFile file, @Nullable Long offset, ByteBuffer dst) {
        return mono(() -> template.read(file, offset, dst));
    }

    /** Reactive {@link AioTemplate#read(AioFile, Long, int, byte[], int)}. */
    public Mono<Integer> read(AioFile file, @Nullable Long offset, int length, byte[] data, int dataOffset) {
        return mono(() -> template.read(file, offset, length, data, dataOffset));
    }

    /** Reactive {@link AioTemplate#write(AioFile, Long, ByteBuffer)}. */
    public Mono<Integer> write(AioFile file, @Nullable Long offset, ByteBuffer src) {
        return mono(() -> template.write(file, offset, src));
    }

    /** Reactive {@link AioTemplate#write(AioFile, Long, int, byte[], int)}. */
    public Mono<Integer> write(AioFile file, @Nullable Long offset, int length, byte[] data, int dataOffset) {
        return mono(() -> template.write(file, offset, length, data, dataOffset));
    }

    /** Reactive {@link AioTemplate#sendfile(AioFile, AioFile, long, long)}. */
    public Mono<Long> sendfile(AioFile out, AioFile in, long inOffset, long length) {
        return mono(() -> template.sendfile(out, in, inOffset, length));
    }

    /** Reactive {@link AioTemplate#readahead(AioFile, long, long)}. */
    public Mono<Void> readahead(AioFile file, long offset, long length) {
        return mono(() -> template.readahead(file, offset, length));
    }

    /** Reactive {@link AioTemplate#fadvise(AioFile, long, long, int)}. */
    public Mono<Void> fadvise(AioFile file, long offset, long length, int advice) {
        return mono(() -> template.fadvise(file, offset, length, advice));
    }

    /** Reactive {@link AioTemplate#slurp(String, long, long)}. */
    public Mono<ByteBuffer> slurp(String path, long offset, long length) {
        return mono(() -> template.slurp(path, offset, length));
    }

    /** Reactive {@link AioTemplate#slurp(Path, long, long)}. */
    public Mono<ByteBuffer> slurp(Path path, long offset, long length) {
        return mono(() -> template.slurp(path, offset, length));
    }

    /** Reactive {@link AioTemplate#load(String)}. */
    public Mono<byte[]> load(String path) {
        return mono(() -> template.load(path));
    }

    /** Reactive {@link AioTemplate#load(Path)}. */
    public Mono<byte[]> load(Path path) {
        return mono(() -> template.load(path));
    }

    /** Reactive {@link AioTemplate#stat(String)}. */
    public Mono<FileStat> stat(String path) {
        return mono(() -> template.stat(path));
    }

    /** Reactive {@link AioTemplate#stat(Path)}. */
    public Mono<FileStat> stat(Path path) {
        return mono(() -> template.stat(path));
    }

    /** Reactive {@link AioTemplate#stat(AioFile)}. */
    public Mono<FileStat> stat(AioFile file) {
        return mono(() -> template.stat(file));
    }

    /** Reactive {@link AioTemplate#statx(String, int, int)}. */
    public Mono<FileStat> statx(String path, int flags, int mask) {
        return mono(() -> template.statx(path, flags, mask));
    }

    /** Reactive {@link AioTemplate#statx(Path, int, int)}. */
    public Mono<FileStat> statx(Path path, int flags, int mask) {
        return mono(() -> template.statx(path, flags, mask));
    }

    /** Reactive {@link AioTemplate#statx(AioFile, int, int)}. */
    public Mono<FileStat> statx(AioFile file, int flags, int mask) {
        return mono(() -> template.statx(file, flags, mask));
    }

    /** Reactive {@link AioTemplate#lstat(String)}. */
    public Mono<FileStat> lstat(String path) {
        return mono(() -> template.lstat(path));
    }

    /** Reactive {@link AioTemplate#lstat(Path)}. */
    public Mono<FileStat> lstat(Path path) {
        return mono(() -> template.lstat(path));
    }

    /** Reactive {@link AioTemplate#statvfs(String)}. */
    public Mono<StatVfs> statvfs(String path) {
        return mono(() -> template.statvfs(path));
    }

    /** Reactive {@link AioTemplate#statvfs(Path)}. */
    public Mono<StatVfs> statvfs(Path path) {
        return mono(() -> template.statvfs(path));
    }

    /** Reactive {@link AioTemplate#statvfs(AioFile)}. */
    public Mono<StatVfs> statvfs(AioFile file) {
        return mono(() -> template.statvfs(file));
    }

    /** Reactive {@link AioTemplate#utime(String, Double, Double)}. */
    public Mono<Void> utime(String path, @Nullable Double atime, @Nullable Double mtime) {
        return mono(() -> template.utime(path, atime, mtime));
    }

    /** Reactive {@link AioTemplate#utime(Path, Double, Double)}. */
    public Mono<Void> utime(Path path, @Nullable Double atime, @Nullable Double mtime) {
        return mono(() -> template.utime(path, atime, mtime));
    }

    /** Reactive {@link AioTemplate#utime(AioFile, Double, Double)}. */
    public Mono<Void> utime(AioFile file, @Nullable Double atime, @Nullable Double mtime) {
        return mono(() -> template.utime(file, atime, mtime));
    }

    /** Reactive {@link AioTemplate#chown(String, Integer, Integer)}. */
    public Mono<Void> chown(String path, @Nullable Integer uid, @Nullable Integer gid) {
        return mono(() -> template.chown(path, uid, gid));
    }

    /** Reactive {@link AioTemplate#chown(Path, Integer, Integer)}. */
    public Mono<Void> chown(Path path, @Nullable Integer uid, @Nullable Integer gid) {
        return mono(() -> template.chown(path, uid, gid));
    }

    /** Reactive {@link AioTemplate#chown(AioFile, Integer, Integer)}. */
    public Mono<Void> chown(AioFile file, @Nullable Integer uid, @Nullable Integer gid) {
        return mono(() -> template.chown(file, uid, gid));
    }

    /** Reactive {@link AioTemplate#chmod(String, int)}. */
    public Mono<Void> chmod(String path, int mode) {
        return mono(() -> template.chmod(path, mode));
    }

    /** Reactive {@link AioTemplate#chmod(Path, int)}. */
    public Mono<Void> chmod(Path path, int mode) {
        return mono(() -> template.chmod(path, mode));
    }

    /** Reactive {@link AioTemplate#chmod(AioFile, int)}. */
    public Mono<Void> chmod(AioFile file, int mode) {
        return mono(() -> template.chmod(file, mode));
    }

    /** Reactive {@link AioTemplate#truncate(String, long)}. */
    public Mono<Void> truncate(String path, long length) {
        return mono(() -> template.truncate(path, length));
    }

    /** Reactive {@link AioTemplate#truncate(Path, long)}. */
    public Mono<Void> truncate(Path path, long length) {
        return mono(() -> template.truncate(path, length));
    }

    /** Reactive {@link AioTemplate#truncate(AioFile, long)}. */
    public Mono<Void> truncate(AioFile file, long length) {
        return mono(() -> template.truncate(file, length));
    }

    /** Reactive {@link AioTemplate#allocate(AioFile, int, long, long)}. */
    public Mono<Void> allocate(AioFile file, int mode, long offset, long length) {
        return mono(() -> template.allocate(file, mode, offset, length));
    }

    /** Reactive {@link AioTemplate#unlink(String)}. */
    public Mono<Void> unlink(String path) {
        return mono(() -> template.unlink(path));
    }

    /** Reactive {@link AioTemplate#unlink(Path)}. */
    public Mono<Void> unlink(Path path) {
        return mono(() -> template.unlink(path));
    }

    /** Reactive {@link AioTemplate#mknod(String, int, long)}. */
    public Mono<Void> mknod(String path, int mode, long dev) {
        return mono(() -> template.mknod(path, mode, dev));
    }

    /** Reactive {@link AioTemplate#mknod(Path, int, long)}. */
    public Mono<Void> mknod(Path path, int mode, long dev) {
        return mono(() -> template.mknod(path, mode, dev));
    }

    /** Reactive {@link AioTemplate#link(String, String)}. */
    public Mono<Void> link(String src, String dst) {
        return mono(() -> template.link(src, dst));
    }

    /** Reactive {@link AioTemplate#link(Path, Path)}. */
    public Mono<Void> link(Path src, Path dst) {
        return mono(() -> template.link(src, dst));
    }

    /** Reactive {@link AioTemplate#symlink(String, String)}. */
    public Mono<Void> symlink(String src, String dst) {
        return mono(() -> template.symlink(src, dst));
    }

    /** Reactive {@link AioTemplate#symlink(Path, Path)}. */
    public Mono<Void> symlink(Path src, Path dst) {
        return mono(() -> template.symlink(src, dst));
    }

    /** Reactive {@link AioTemplate#readlink(String)}: the target exactly as stored. */
    public Mono<String> readlink(String path) {
        return mono(() -> template.readlink(path));
    }

    /** Reactive {@link AioTemplate#readlink(Path)}. */
    public Mono<Path> readlink(Path path) {
        return mono(() -> template.readlink(path));
    }

    /** Reactive {@link AioTemplate#realpath(String)}. */
    public Mono<Path> realpath(String path) {
        return mono(() -> template.realpath(path));
    }

    /** Reactive {@link AioTemplate#realpath(Path)}. */
    public Mono<Path> realpath(Path path) {
        return mono(() -> template.realpath(path));
    }

    /** Reactive {@link AioTemplate#rename(String, String)}. */
    public Mono<Void> rename(String src, String dst) {
        return mono(() -> template.rename(src, dst));
    }

    /** Reactive {@link AioTemplate#rename(Path, Path)}. */
    public Mono<Void> rename(Path src, Path dst) {
        return mono(() -> template.rename(src, dst));
    }

    /** Reactive {@link AioTemplate#rename2(String, String, int)}. */
    public Mono<Void> rename2(String src, String dst, int flags) {
        return mono(() -> template.rename2(src, dst, flags));
    }

    /** Reactive {@link AioTemplate#rename2(Path, Path, int)}. */
    public Mono<Void> rename2(Path src, Path dst, int flags) {
        return mono(() -> template.rename2(src, dst, flags));
    }

    /** Reactive {@link AioTemplate#mkdir(String, int)}. */
    public Mono<Void> mkdir(String path, int mode) {
        return mono(() -> template.mkdir(path, mode));
    }

    /** Reactive {@link AioTemplate#mkdir(Path, int)}. */
    public Mono<Void> mkdir(Path path, int mode) {
        return mono(() -> template.mkdir(path, mode));
    }

    /** Reactive {@link AioTemplate#rmdir(String)}. */
    public Mono<Void> rmdir(String path) {
        return mono(() -> template.rmdir(path));
    }

    /** Reactive {@link AioTemplate#rmdir(Path)}. */
    public Mono<Void> rmdir(Path path) {
        return mono(() -> template.rmdir(path));
    }

    /** Reactive {@link AioTemplate#rmtree(String)}. */
    public Mono<Void> rmtree(String path) {
        return mono(() -> template.rmtree(path));
    }

    /** Reactive {@link AioTemplate#rmtree(Path)}. */
    public Mono<Void> rmtree(Path path) {
        return mono(() -> template.rmtree(path));
    }

    /** Reactive {@link AioTemplate#copy(String, String)}. */
    public Mono<Void> copy(String src, String dst) {
        return mono(() -> template.copy(src, dst));
    }

    /** Reactive {@link AioTemplate#copy(Path, Path)}. */
    public Mono<Void> copy(Path src, Path dst) {
        return mono(() -> template.copy(src, dst));
    }

    /** Reactive {@link AioTemplate#move(String, String)}. */
    public Mono<Void> move(String src, String dst) {
        return mono(() -> template.move(src, dst));
    }

    /** Reactive {@link AioTemplate#move(Path, Path)}. */
    public Mono<Void> move(Path src, Path dst) {
        return mono(() -> template.move(src, dst));
    }

    /** Reactive {@link AioTemplate#copyTree(String, String)}. */
    public Mono<Void> copyTree(String src, String dst) {
        return mono(() -> template.copyTree(src, dst));
    }

    /** Reactive {@link AioTemplate#copyTree(Path, Path)}. */
    public Mono<Void> copyTree(Path src, Path dst) {
        return mono(() -> template.copyTree(src, dst));
    }

    /** Reactive {@link AioTemplate#fsync(AioFile)}. */
    public Mono<Void> fsync(AioFile file) {
        return mono(() -> template.fsync(file));
    }

    /** Reactive {@link AioTemplate#fdatasync(AioFile)}. */
    public Mono<Void> fdatasync(AioFile file) {
        return mono(() -> template.fdatasync(file));
    }

    /** Reactive {@link AioTemplate#syncfs(AioFile)}. */
    public Mono<Void> syncfs(AioFile file) {
        return mono(() -> template.syncfs(file));
    }

    /** Reactive {@link AioTemplate#syncFileRange(AioFile, long, long, int)}. */
    public Mono<Void> syncFileRange(AioFile file, long offset, long nbytes, int flags) {
        return mono(() -> template.syncFileRange(file, offset, nbytes, flags));
    }

    /** Reactive {@link AioTemplate#pathsync(String)}. */
    public Mono<Void> pathsync(String path) {
        return mono(() -> template.pathsync(path));
    }

    /** Reactive {@link AioTemplate#pathsync(Path)}. */
    public Mono<Void> pathsync(Path path) {
        return mono(() -> template.pathsync(path));
    }

    /** Reactive {@link AioTemplate#sync()}. */
    public Mono<Void> sync() {
        return mono(() -> template.sync());
    }

    /** Reactive {@link AioTemplate#msync(MappedByteBuffer, long, Long, int)}. */
    public Mono<Void> msync(MappedByteBuffer buffer, long offset, @Nullable Long length, int flags) {
        return mono(() -> template.msync(buffer, offset, length, flags));
    }

    /** Reactive {@link AioTemplate#mtouch(ByteBuffer, long, Long, int)}. */
    public Mono<Void> mtouch(ByteBuffer buffer, long offset, @Nullable Long length, int flags) {
        return mono(() -> template.mtouch(buffer, offset, length, flags));
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
