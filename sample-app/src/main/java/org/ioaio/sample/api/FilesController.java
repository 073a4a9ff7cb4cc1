package org.ioaio.sample.api;

import java.io.IOException;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import org.ioaio.AioConstants;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.sample.AioViews;
import org.ioaio.sample.SampleProperties;
import org.ioaio.sample.api.FileInfo.Entry;
import org.ioaio.sample.api.FileInfo.Listing;
import org.ioaio.sample.api.FileInfo.Metadata;
import org.ioaio.sample.jobs.JobService;
import org.ioaio.sample.jobs.Usage;
import org.ioaio.spring.boot.AioTemplate;
import org.ioaio.spring.boot.reactive.ReactiveAioTemplate;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The files API. Every path is {@link ApiPath#fromUrl checked}, then handed to the starter's
 * templates at the interactive priority; every filesystem call is an engine request, so no
 * Netty thread ever blocks, and a client that goes away cancels the request it was waiting for.
 *
 * <ul>
 *   <li>{@code GET /api/dirs/{path}}: a listing ({@code aio_readdirx} with {@code
 *       READDIR_DENTS | READDIR_DIRS_FIRST}, then an {@code aio_lstat} of each entry, 16 in flight).
 *   <li>{@code POST /api/dirs/{path}}: makes a directory ({@code aio_mkdir}).
 *   <li>{@code GET /api/stat/{path}}: metadata ({@code aio_stat}).
 *   <li>{@code GET|HEAD /api/files/{path}}: the content, with a single {@code Range} ({@code aio_read}
 *       in chunks, on demand: a slow client holds no thread and reads no further ahead than it
 *       consumes).
 *   <li>{@code PUT /api/files/{path}}: stores the body: {@code aio_write} to a hidden {@code
 *       .aio-upload-*.part} name in the same directory, {@code aio_fsync}, {@code aio_rename} over the
 *       name. No partial file is ever visible under the name; an upload cut off midway, refused or
 *       failed removes its hidden file.
 *   <li>{@code GET /api/du/{path}}: du of a subtree (scandir + lstat in a group with a feeder).
 * </ul>
 */
@RestController
@RequestMapping("/api")
public class FilesController {

    private static final int LISTING_STATS_IN_FLIGHT = 16;

    private final ReactiveAioTemplate aio;
    private final AioTemplate interactive;
    private final JobService jobs;
    private final long maxUpload;

    /** The API over the data directory. */
    public FilesController(AioViews views, JobService jobs, SampleProperties properties) {
        this.aio = views.reactiveInteractive();
        this.interactive = views.interactive();
        this.jobs = jobs;
        this.maxUpload = properties.getMaxUploadSize().toBytes();
    }

    /** Lists a directory. */
    @GetMapping("/dirs/{*path}")
    public Mono<Listing> list(@PathVariable String path) {
        String rel = ApiPath.fromUrl(path);
        return aio.readdirx(rel, AioConstants.READDIR_DENTS | AioConstants.READDIR_DIRS_FIRST)
                .filter(e -> !ApiPath.isTemporary(e.name().toString()))
                .flatMapSequential(e -> entry(rel, e), LISTING_STATS_IN_FLIGHT)
                .collectList()
                .map(entries -> new Listing(rel, entries))
                .onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    private Mono<Entry> entry(String dir, DirEntry e) {
        String name = e.name().toString();
        String child = ApiPath.join(dir, name);
        return aio.lstat(child)
                .map(st -> Entry.of(name, child, st))
                // Removed since the directory was read: not listed.
                .onErrorResume(x -> x instanceof AioException a && a.errno() == Errno.ENOENT.code(), x -> Mono.empty());
    }

    /** Makes a directory (mode 0755 minus the umask); its parent must exist. */
    @PostMapping("/dirs/{*path}")
    public Mono<ResponseEntity<Metadata>> mkdir(@PathVariable String path) {
        String rel = ApiPath.fromUrl(path);
        if (rel.isEmpty()) {
            throw ApiProblem.conflict("exists", "Already exists", "The data directory already exists", rel);
        }
        return aio.mkdir(rel, 0755)
                .then(aio.stat(rel))
                .map(st -> ResponseEntity.created(URI.create(ApiPath.url("/api/dirs/", rel))).body(Metadata.of(rel, st)))
                .onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    /** A file's metadata. */
    @GetMapping("/stat/{*path}")
    public Mono<Metadata> stat(@PathVariable String path) {
        String rel = ApiPath.fromUrl(path);
        return aio.stat(rel).map(st -> Metadata.of(rel, st)).onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    /** du of a subtree, at the interactive priority: cancelled with the request. */
    @GetMapping("/du/{*path}")
    public Mono<Usage> du(@PathVariable String path) {
        String rel = ApiPath.fromUrl(path);
        return Mono.fromFuture(() -> jobs.du(rel), false).onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    // ------------------------------------------------------------------------------------------
    // Download
    // ------------------------------------------------------------------------------------------

    /** A file's content (all of it, or one Range); HEAD gives the headers alone. */
    @GetMapping("/files/{*path}")
    public Mono<ResponseEntity<Flux<DataBuffer>>> download(@PathVariable String path, ServerHttpRequest request) {
        String rel = ApiPath.fromUrl(path);
        HttpHeaders in = request.getHeaders();
        boolean head = HttpMethod.HEAD.equals(request.getMethod());
        return aio.stat(rel).map(st -> {
            if (st.isDirectory()) {
                throw ApiProblem.of(new AioException(Errno.EISDIR.code(), "open", rel), rel);
            }
            if (!st.isRegularFile()) {
                throw ApiProblem.conflict("not-a-file", "Not a regular file", "'" + rel + "' is not a regular file", rel);
            }
            long size = st.size();
            String etag = etag(st);
            String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(st.mtime(), ZoneOffset.UTC));
            String rangeHeader = in.getFirst(HttpHeaders.RANGE);
            String ifRange = in.getFirst(HttpHeaders.IF_RANGE);
            if (rangeHeader != null && ifRange != null && !ifRange.equals(etag) && !ifRange.equals(lastModified)) {
                rangeHeader = null; // The client's copy is stale: send the whole file.
            }
            ByteRange range = ByteRange.parse(rangeHeader, size, rel);
            long start = range == null ? 0 : range.start();
            long length = range == null ? size : range.length();
            HttpHeaders out = new HttpHeaders();
            out.setContentType(MediaTypeFactory.getMediaType(ApiPath.name(rel)).orElse(MediaType.APPLICATION_OCTET_STREAM));
            out.setContentLength(length);
            out.set(HttpHeaders.ACCEPT_RANGES, "bytes");
            out.setETag(etag);
            out.set(HttpHeaders.LAST_MODIFIED, lastModified);
            if (range != null) {
                out.set(HttpHeaders.CONTENT_RANGE, "bytes " + range.start() + "-" + range.end() + "/" + size);
            }
            Flux<DataBuffer> body = head || length == 0 ? Flux.empty() : content(rel, st, start, length);
            return ResponseEntity.status(range == null ? HttpStatus.OK : HttpStatus.PARTIAL_CONTENT).headers(out).body(body);
        }).onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    /**
     * {@code length} bytes from {@code start}: the file is opened when the body is subscribed and
     * closed when it completes, fails or is cancelled; if it was replaced since {@code before} was
     * taken (an upload renamed over it), the body fails rather than mix two files.
     */
    private Flux<DataBuffer> content(String rel, FileStat before, long start, long length) {
        int chunk = (int) Math.min(aio.chunkSize(), length);
        return Flux.usingWhen(aio.open(rel, AioConstants.O_RDONLY, 0),
                file -> aio.stat(file).flatMapMany(now -> {
                    if (now.ino() != before.ino() || now.dev() != before.dev() || now.size() < start + length) {
                        return Flux.error(new IOException(rel + " changed while it was being sent"));
                    }
                    return limit(aio.readContent(file, start, chunk), length);
                }),
                this::close);
    }

    /** The first {@code length} bytes of {@code chunks}; fails if they end sooner. */
    private static Flux<DataBuffer> limit(Flux<DataBuffer> chunks, long length) {
        return Flux.defer(() -> {
            AtomicLong left = new AtomicLong(length);
            return chunks.map(buffer -> {
                long l = left.get();
                int n = buffer.readableByteCount();
                if (n > l) {
                    buffer.writePosition(buffer.readPosition() + (int) l);
                    n = (int) l;
                }
                left.addAndGet(-n);
                return buffer;
            }).takeUntil(buffer -> left.get() <= 0)
                    .concatWith(Mono.defer(() -> left.get() > 0
                            ? Mono.error(new IOException("the file ended " + left.get() + " bytes early"))
                            : Mono.empty()));
        });
    }

    private static String etag(FileStat st) {
        return "\"" + Long.toHexString(st.ino()) + "-" + Long.toHexString(st.size()) + "-"
                + Long.toHexString(st.mtimeSec()) + Integer.toHexString(st.mtimeNsec()) + "\"";
    }

    private Mono<Void> close(AioFile file) {
        return file.isOpen() ? aio.close(file).onErrorResume(e -> Mono.empty()) : Mono.empty();
    }

    // ------------------------------------------------------------------------------------------
    // Upload
    // ------------------------------------------------------------------------------------------

    /** Stores the request body at {@code path}: 201 for a new file, 200 for a replaced one. */
    @PutMapping("/files/{*path}")
    public Mono<ResponseEntity<Metadata>> upload(@PathVariable String path, ServerHttpRequest request) {
        String rel = ApiPath.fromUrl(path);
        if (rel.isEmpty()) {
            throw ApiProblem.of(new AioException(Errno.EISDIR.code(), "open", rel), rel);
        }
        long declared = request.getHeaders().getContentLength();
        if (declared > maxUpload) {
            throw ApiProblem.tooLarge(maxUpload, rel);
        }
        String parent = ApiPath.parent(rel);
        String tmp = ApiPath.join(parent, ApiPath.TEMP_PREFIX + "upload-" + UUID.randomUUID() + ApiPath.TEMP_SUFFIX);
        // The open's future, kept so that whatever ends the upload (error, cancel) can remove the file it made.
        AtomicReference<@Nullable CompletableFuture<AioFile>> opening = new AtomicReference<>();
        Mono<AioFile> open = Mono.defer(() -> {
            CompletableFuture<AioFile> f = interactive.open(tmp, AioConstants.O_WRONLY | AioConstants.O_CREAT | AioConstants.O_EXCL, 0644);
            opening.set(f);
            return Mono.fromFuture(f, true);
        });
        Mono<Long> write = Mono.usingWhen(open,
                file -> aio.writeContent(limited(request.getBody(), rel), file).flatMap(n -> declared >= 0 && n != declared
                        ? Mono.<Long>error(ApiProblem.truncated(declared, n, rel))
                        : aio.fsync(file).thenReturn(n))
                        // A body buffer still queued when the upload is cut off or refused is released, not dropped.
                        .doOnDiscard(DataBuffer.class, DataBufferUtils::release),
                file -> aio.close(file),
                (file, error) -> close(file),
                this::close);

        return existing(parent, rel)
                .flatMap(existed -> write
                        .then(aio.rename(tmp, rel))
                        .then(aio.stat(rel))
                        .map(st -> ResponseEntity.status(existed ? HttpStatus.OK : HttpStatus.CREATED)
                                .location(URI.create(ApiPath.url("/api/files/", rel)))
                                .body(Metadata.of(rel, st))))
                .onErrorResume(e -> discard(opening, tmp).then(Mono.error(e)))
                .doOnCancel(() -> discard(opening, tmp))
                .onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    /** Whether {@code rel} exists (and is not a directory); its parent must be a directory. */
    private Mono<Boolean> existing(String parent, String rel) {
        return aio.stat(parent)
                .onErrorMap(AioException.class, e -> e.errno() == Errno.ENOENT.code()
                        ? ApiProblem.notFound("no-parent", "No such directory",
                                "The directory to upload into does not exist: '" + parent + "'", parent)
                        : ApiProblem.of(e, parent))
                .flatMap(ps -> {
                    if (!ps.isDirectory()) {
                        return Mono.error(ApiProblem.of(new AioException(Errno.ENOTDIR.code(), "open", parent), parent));
                    }
                    return aio.lstat(rel)
                            .flatMap(st -> st.isDirectory()
                                    ? Mono.<Boolean>error(ApiProblem.of(new AioException(Errno.EISDIR.code(), "open", rel), rel))
                                    : Mono.just(true))
                            .onErrorResume(e -> e instanceof AioException a && a.errno() == Errno.ENOENT.code(), e -> Mono.just(false));
                });
    }

    /** The body, failing with 413 past {@code sample.max-upload-size}. */
    private Flux<DataBuffer> limited(Flux<DataBuffer> body, String rel) {
        AtomicLong seen = new AtomicLong();
        return body.handle((buffer, sink) -> {
            if (seen.addAndGet(buffer.readableByteCount()) > maxUpload) {
                DataBufferUtils.release(buffer);
                sink.error(ApiProblem.tooLarge(maxUpload, rel));
            } else {
                sink.next(buffer);
            }
        });
    }

    /**
     * Removes an upload's hidden file, once its open has settled (if it made the file). The
     * removal starts at once and runs to its end whatever happens to the returned Mono: when the
     * client goes away while the upload fails, the response is cancelled, but the cleanup is not.
     */
    private Mono<Void> discard(AtomicReference<@Nullable CompletableFuture<AioFile>> opening, String tmp) {
        CompletableFuture<AioFile> f = opening.getAndSet(null);
        if (f == null) {
            return Mono.empty();
        }
        CompletableFuture<Void> removal = Mono.fromFuture(f.handle((file, error) -> file), true)
                .flatMap(file -> close(file).then(aio.unlink(tmp)))
                .onErrorResume(e -> Mono.empty())
                .toFuture();
        return Mono.fromFuture(removal, true);
    }
}
