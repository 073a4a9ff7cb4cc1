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

package org.ioaio.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many keep-alive clients at once against endpoints answered by the engine: every request gets
 * its response. Each client is a raw HTTP/1.1 connection that sends its next request as soon as
 * it has read the previous response, and opens a new connection every {@link #PER_CONNECTION}
 * requests (the first requests of a connection are where a lost response showed most).
 */
class KeepAliveLoadTests extends AppTestSupport {

    private static final int CLIENTS = 32;
    private static final int REQUESTS_PER_CLIENT = 200;
    private static final int PER_CONNECTION = 50;

    /** How long a client waits for one response before it counts the request as unanswered. */
    private static final int UNANSWERED_AFTER_MILLIS = 30_000;

    /** 32 keep-alive clients, 6,400 requests of stat, download and listing: each is answered, with 200. */
    @Test
    void everyRequestOfManyKeepAliveClientsIsAnswered() throws Exception {
        String[] targets = {"/api/stat/docs/hello.txt", "/api/files/docs/hello.txt", "/api/dirs/docs"};
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Integer>> answered = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                String target = targets[c % targets.length];
                answered.add(pool.submit(() -> {
                    start.await();
                    return client(target, failures);
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : answered) {
                total += f.get();
            }
            assertThat(failures).as("requests without a (200) response").isEmpty();
            assertThat(total).isEqualTo(CLIENTS * REQUESTS_PER_CLIENT);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** One client's requests; returns how many were answered with 200, and records the others. */
    private int client(String target, ConcurrentLinkedQueue<String> failures) throws IOException {
        byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        int ok = 0;
        int sent = 0;
        while (sent < REQUESTS_PER_CLIENT) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(UNANSWERED_AFTER_MILLIS);
                OutputStream out = s.getOutputStream();
                InputStream in = new BufferedInputStream(s.getInputStream());
                for (int i = 0; i < PER_CONNECTION && sent < REQUESTS_PER_CLIENT; i++) {
                    sent++;
                    out.write(request);
                    out.flush();
                    try {
                        int status = readResponse(in);
                        if (status == 200) {
                            ok++;
                        } else {
                            failures.add(target + ": status " + status);
                        }
                    } catch (SocketTimeoutException | EOFException e) {
                        failures.add(target + ": request " + sent + " unanswered (" + e + ")");
                        break;
                    }
                }
            }
        }
        return ok;
    }

    /** Reads one response framed by its Content-Length or chunks; returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        int status = Integer.parseInt(line(in).split(" ")[1]);
        long length = -1;
        boolean chunked = false;
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            String h = l.toLowerCase(Locale.ROOT);
            if (h.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                skip(in, size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            skip(in, length);
        }
        return status;
    }

    private static void skip(InputStream in, long n) throws IOException {
        if (in.readNBytes((int) n).length < n) {
            throw new EOFException("the response ended early");
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder l = new StringBuilder();
        for (int c = in.read(); ; c = in.read()) {
            if (c == -1) {
                throw new EOFException("the connection closed");
            }
            if (c == '\n') {
                return l.toString();
            }
            if (c != '\r') {
                l.append((char) c);
            }
        }
    }
}
