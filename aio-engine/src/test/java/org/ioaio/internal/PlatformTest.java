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

package org.ioaio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ioaio.AioBackend;
import org.ioaio.internal.sys.NioSyscalls;
import org.ioaio.internal.sys.Syscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The Java 22+ gate: FFM code runs on 22+, and is never even loaded on 17 to 21. */
class PlatformTest {

    /** Reports which JVM ran the suite, so CI logs show the Java 17 run really was on 17. */
    @Test
    void reportsTheRunningJvm() {
        System.out.println("PlatformTest: java.version=" + System.getProperty("java.version")
                + " java.home=" + System.getProperty("java.home")
                + " feature=" + Platform.javaFeature()
                + " nativeProbe=" + Platform.nativeProbe());
        assertThat(Platform.javaFeature()).isEqualTo(Runtime.version().feature()).isGreaterThanOrEqualTo(17);
    }

    /** On Java 22+ on Linux, the probe's FFM getpid() downcall returns this process's pid. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void probeReturnsThePidOnJava22OrLater() {
        Platform.NativeProbe probe = Platform.nativeProbe();
        if (Platform.javaFeature() >= Platform.NATIVE_MIN_FEATURE) {
            assertThat(probe.available()).as(probe.reason()).isTrue();
            assertThat(probe.pid()).hasValue(ProcessHandle.current().pid());
            assertThat(probe.reason()).isEqualTo("available");
        } else {
            assertThat(probe.available()).isFalse();
            assertThat(probe.pid()).isEmpty();
            assertThat(probe.reason()).isEqualTo("Java " + Platform.javaFeature() + " < 22");
        }
    }

    /** The java22 class is loaded exactly when the JVM is 22+: never on 17 to 21. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void java22ClassIsLoadedOnlyOnJava22OrLater() throws Exception {
        URL classes = Platform.class.getProtectionDomain().getCodeSource().getLocation();
        try (RecordingLoader loader = new RecordingLoader(classes)) {
            Class<?> platform = loader.loadClass(Platform.class.getName());
            assertThat(platform.getClassLoader()).isSameAs(loader);

            Object probe = platform.getMethod("nativeProbe").invoke(null);
            Method available = probe.getClass().getMethod("available");
            Method reason = probe.getClass().getMethod("reason");

            if (Platform.javaFeature() >= Platform.NATIVE_MIN_FEATURE) {
                assertThat((Boolean) available.invoke(probe)).as((String) reason.invoke(probe)).isTrue();
                assertThat(loader.loaded(Platform.PROBE_CLASS)).isTrue();
            } else {
                assertThat((Boolean) available.invoke(probe)).isFalse();
                assertThat(reason.invoke(probe)).isEqualTo("Java " + Platform.javaFeature() + " < 22");
                assertThat(loader.requested).doesNotContain(Platform.PROBE_CLASS);
                assertThat(loader.loaded(Platform.PROBE_CLASS)).isFalse();
            }
        }
    }

    /** The native syscall layer is loaded the same way: on 22+ only, and never even requested on 17 to 21. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void nativeLayerIsLoadedOnlyOnJava22OrLater() throws Exception {
        URL classes = Platform.class.getProtectionDomain().getCodeSource().getLocation();
        try (RecordingLoader loader = new RecordingLoader(classes)) {
            Class<?> platform = loader.loadClass(Platform.class.getName());
            Object layer = platform.getMethod("nativeLayer").invoke(null);
            boolean available = (Boolean) layer.getClass().getMethod("available").invoke(layer);
            String reason = (String) layer.getClass().getMethod("reason").invoke(layer);
            if (Platform.javaFeature() >= Platform.NATIVE_MIN_FEATURE) {
                assertThat(available).as(reason).isTrue();
                assertThat(loader.loaded(Platform.NATIVE_SYSCALLS_CLASS)).isTrue();
            } else {
                assertThat(available).isFalse();
                assertThat(reason).isEqualTo("Java " + Platform.javaFeature() + " < 22");
                assertThat(loader.requested).noneMatch(name -> name.startsWith("org.ioaio.internal.linux."));
            }
        }
    }

    /** NIO always selects the portable layer; AUTO the native one exactly when it is available. */
    @Test
    void selectionOfAutoAndNio() {
        Platform.NativeLayer none = Platform.NativeLayer.unavailable("Java 17 < 22");
        assertThat(Platform.select(AioBackend.NIO).backend()).isEqualTo(AioBackend.NIO);
        assertThat(Platform.select(AioBackend.NIO).syscalls()).isExactlyInstanceOf(NioSyscalls.class);
        assertThat(Platform.select(AioBackend.AUTO, none).backend()).isEqualTo(AioBackend.NIO);
        Syscalls fake = new NioSyscalls() {};
        Platform.NativeLayer some = Platform.NativeLayer.available(fake);
        assertThat(Platform.select(AioBackend.AUTO, some).syscalls()).isSameAs(fake);
        assertThat(Platform.select(AioBackend.AUTO, some).backend()).isEqualTo(AioBackend.NATIVE);
        assertThat(Platform.select(AioBackend.NATIVE, some).syscalls()).isSameAs(fake);
        assertThat(Platform.select(AioBackend.AUTO).backend())
                .isEqualTo(Platform.nativeLayer().available() ? AioBackend.NATIVE : AioBackend.NIO);
    }

    /** NATIVE where unavailable fails with the reason; a layer that cannot initialise says why. */
    @Test
    void nativeWhereUnavailableFailsWithTheReason() {
        Platform.NativeLayer none = Platform.loadNativeLayer(Platform.probe(17, "Linux", Platform.PROBE_CLASS),
                Platform.NATIVE_SYSCALLS_CLASS);
        assertThat(none.available()).isFalse();
        assertThatThrownBy(() -> Platform.select(AioBackend.NATIVE, none))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("native backend not available: Java 17 < 22");
        Platform.NativeLayer broken = Platform.loadNativeLayer(Platform.NativeProbe.available(1), "org.ioaio.internal.linux.NoSuchLayer");
        assertThat(broken.available()).isFalse();
        assertThat(broken.reason()).startsWith("native layer failed to initialise: java.lang.ClassNotFoundException");
    }

    /** Below Java 22 the reason names the version, whatever the OS. */
    @Test
    void oldJavaIsReportedByVersion() {
        Platform.NativeProbe probe = Platform.probe(17, "Linux", Platform.PROBE_CLASS);
        assertThat(probe.available()).isFalse();
        assertThat(probe.pid()).isEqualTo(OptionalLong.empty());
        assertThat(probe.reason()).isEqualTo("Java 17 < 22");
        assertThat(Platform.probe(21, "Mac OS X", Platform.PROBE_CLASS).reason()).isEqualTo("Java 21 < 22");
    }

    /** On Java 22+ outside Linux, the reason says so and the probe class is not touched. */
    @Test
    void otherOperatingSystemsAreReportedAsNotLinux() {
        Platform.NativeProbe probe = Platform.probe(25, "Mac OS X", "no.such.Probe");
        assertThat(probe.available()).isFalse();
        assertThat(probe.reason()).isEqualTo("not Linux (os.name=Mac OS X)");
    }

    /** A probe that cannot load or run reports "probe failed:" with the cause, never throws. */
    @Test
    void aFailingProbeIsReportedWithItsCause() {
        Platform.NativeProbe probe = Platform.probe(25, "Linux", "org.ioaio.internal.linux.NoSuchProbe");
        assertThat(probe.available()).isFalse();
        assertThat(probe.reason())
                .startsWith("probe failed: java.lang.ClassNotFoundException")
                .contains("NoSuchProbe");
    }

    /** Loads the engine's classes itself (child-first) and records every class asked of it. */
    private static final class RecordingLoader extends URLClassLoader {

        /** Every class name requested through {@link #loadClass(String, boolean)}. */
        final List<String> requested = new CopyOnWriteArrayList<>();

        RecordingLoader(URL classes) {
            super(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            return super.loadClass(name, resolve);
        }

        /** Returns whether this loader has defined {@code name}. */
        boolean loaded(String name) {
            synchronized (getClassLoadingLock(name)) {
                return findLoadedClass(name) != null;
            }
        }
    }
}
