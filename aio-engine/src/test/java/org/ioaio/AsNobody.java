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

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ioaio.internal.Platform;

/**
 * A child JVM run as user nobody ({@code setpriv(1)}), for what permissions decide: the tests run
 * as root, where they do not count. The child runs a probe's {@code main} on the engine's and the
 * tests' classes, in a JVM like this one.
 */
public final class AsNobody {

    /** setpriv(1), which drops root's privileges for the child. */
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private AsNobody() {}

    /**
     * Why no child can run as nobody here, for a skip message; {@code null} if one can.
     *
     * @return the reason, or {@code null}
     */
    public static String unavailable() {
        try {
            if (((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() != 0) {
                return "not running as root: cannot switch to user nobody";
            }
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot tell this process's user (" + e + "): cannot switch to user nobody";
        }
        return Files.isExecutable(SETPRIV) ? null : "setpriv(1) is missing: cannot drop privileges";
    }

    /**
     * The backends a probe runs here: {@code NIO}, and {@code NATIVE} where this JVM has the
     * native layer (otherwise the native run's skip, with its reason, is printed).
     *
     * @return the backends' names, for the probe's arguments
     */
    public static List<String> backends() {
        List<String> backends = new ArrayList<>(List.of("NIO"));
        if (Platform.nativeLayer().available()) {
            backends.add("NATIVE");
        } else {
            System.out.println("SKIPPED (native run): native backend not available: " + Platform.nativeLayer().reason());
        }
        return backends;
    }

    /**
     * The command that runs {@code main} with {@code args} as nobody.
     *
     * @param main the probe's class (a test class with a {@code main})
     * @param args its arguments
     * @return the command, for a {@link ProcessBuilder}
     */
    public static List<String> command(Class<?> main, List<String> args) {
        Path classes;
        Path testClasses;
        try {
            classes = Path.of(AioEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            testClasses = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", classes + File.pathSeparator + testClasses, main.getName()));
        command.addAll(args);
        return command;
    }
}
