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

package org.ioaio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The invariants every engine test ends with (DESIGN.md): no worker, poller or deadline thread of
 * aio is left, and no file descriptor leaked ({@code /proc/self/fd} counted before and after).
 */
public final class EngineInvariants implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EngineInvariants.class);

    static {
        // The JDK keeps one socket for its lifetime, created by the first NIO pipe (its "pre-close"
        // descriptor): create it before any count, so it is not taken for a leak.
        // Likewise the JDK's NativePRNG keeps /dev/random and /dev/urandom open once a temporary
        // file name (JUnit's @TempDir) was drawn.
        try {
            Pipe p = Pipe.open();
            p.source().close();
            p.sink().close();
            Files.delete(Files.createTempFile("aio-invariants", ".tmp"));
            new java.security.SecureRandom().nextInt();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("fds", openFds());
        context.getStore(NS).put("list", describeFds());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Await.until("every aio thread has stopped", () -> aioThreads() == 0);
        int before = context.getStore(NS).get("fds", Integer.class);
        if (before >= 0) {
            Await.until("no file descriptor leaked (before: " + before + context.getStore(NS).get("list")
                    + ", now: " + openFds() + " " + describeFds() + ")", () -> openFds() <= before);
        }
        assertThat(aioThreads()).as("aio threads alive after the test").isZero();
    }

    /** Live threads whose name says they belong to an engine. */
    static long aioThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && (t.getName().startsWith("aio-") || t.getName().contains("-worker-")))
                .count();
    }

    /** The counted descriptors and what they point at, for failure messages. */
    static String describeFds() {
        StringBuilder sb = new StringBuilder("[");
        String[] fds = new File("/proc/self/fd").list();
        if (fds != null) {
            for (String fd : fds) {
                try {
                    String target = Files.readSymbolicLink(new File("/proc/self/fd", fd).toPath()).toString();
                    if (!(target.endsWith(".jar") || target.startsWith("/usr/lib/jvm/") || target.contains("/proc/"))) {
                        sb.append(fd).append("->").append(target).append(' ');
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return sb.append(']').toString();
    }

    /**
     * Open descriptors of this process that a request or the engine could leak (pipes, files,
     * event fds), or -1 where /proc is absent. Jars and JDK files the class loader opens on demand
     * are left out: they stay open for the JVM's life whatever aio does.
     */
    static int openFds() {
        File dir = new File("/proc/self/fd");
        String[] fds = dir.list();
        if (fds == null) {
            return -1;
        }
        int n = 0;
        for (String fd : fds) {
            try {
                String target = Files.readSymbolicLink(dir.toPath().resolve(fd)).toString();
                if (target.endsWith(".jar") || target.startsWith("/usr/lib/jvm/") || target.contains("/proc/")) {
                    continue;
                }
            } catch (IOException e) {
                continue; // closed between list and read: not open any more
            }
            n++;
        }
        return n;
    }
}
