package org.ioaio.spring.boot.quickstart;

// README-BEGIN
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ioaio.spring.boot.AioTemplate;
import org.springframework.stereotype.Service;

@Service
public class Documents {

    private final AioTemplate aio;

    public Documents(AioTemplate aio) {
        this.aio = aio;
    }

    // Paths are relative to aio.root: the engine resolves them beneath it, on a worker thread.
    // Futures complete on aio's poller thread: keep stages short, never block in them.
    public CompletableFuture<String> read(String name) {
        return aio.load(name).thenApply(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    // A request someone waits for: priority 2 (IO::AIO's aioreq_pri, -4 lowest .. 4 highest).
    public CompletableFuture<List<Path>> list(String dir) {
        return aio.withPriority(2).readdir(dir);
    }

    // Background work at priority -2: it runs only while no higher-priority request waits.
    public CompletableFuture<Void> archive(String name) {
        return aio.withPriority(-2).move(name, "archive/" + name);
    }
}
// README-END
