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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine's GraalVM reachability metadata ({@code reflection}) lists exactly what the engine
 * reaches by name: the Java 22 classes {@link Platform} loads with {@code Class.forName} and the
 * static method it finds on each, and the JDK option {@code NioSyscalls} looks up; so a native
 * image without Spring's hints still finds its native backend.
 */
class PlatformMetadataTest {

    private static final String FILE = "META-INF/native-image/org.ioaio/aio-engine/reachability-metadata.json";

    /** What the engine loads by name: type, then each method as "name(parameter types)". */
    private static final Map<String, List<String>> BY_NAME = Map.of(
            Platform.PROBE_CLASS, List.of(Platform.PROBE_METHOD + "()"),
            Platform.NATIVE_SYSCALLS_CLASS, List.of(Platform.NATIVE_SYSCALLS_METHOD + "()", Platform.NATIVE_BATCH_METHOD + "()"),
            Platform.RING_CLASS, List.of("create(int)"),
            "com.sun.nio.file.ExtendedOpenOption", List.of("values()"));

    // Each type the engine loads by name is listed with the methods it calls, and nothing else is listed.
    @Test
    void reflectionListsExactlyWhatTheEngineLoadsByName() {
        assertThat(listed()).isEqualTo(BY_NAME);
    }

    // The listed methods exist as the engine calls them: static, with those parameters (Java 22+, where the classes load).
    @Test
    void listedMethodsExist() throws Exception {
        assumeTrue(Runtime.version().feature() >= 22, "the native backend's classes load on Java 22+ only; this JVM is "
                + Runtime.version());
        for (Map.Entry<String, List<String>> e : listed().entrySet()) {
            Class<?> type = Class.forName(e.getKey(), false, getClass().getClassLoader());
            for (String m : e.getValue()) {
                String name = m.substring(0, m.indexOf('('));
                String params = m.substring(m.indexOf('(') + 1, m.length() - 1);
                Method method = params.isEmpty() ? type.getDeclaredMethod(name) : type.getDeclaredMethod(name, int.class);
                assertThat(Modifier.isStatic(method.getModifiers())).as("%s.%s is static", e.getKey(), m).isTrue();
            }
        }
    }

    /** The reflection entries of the metadata, as type to "name(parameter types)" of its methods. */
    private static Map<String, List<String>> listed() {
        JsonNode root;
        try (InputStream in = PlatformMetadataTest.class.getClassLoader().getResourceAsStream(FILE)) {
            assertThat(in).as(FILE + " on the class path").isNotNull();
            root = JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, List<String>> listed = new java.util.HashMap<>();
        for (JsonNode entry : root.path("reflection")) {
            List<String> methods = new ArrayList<>();
            for (JsonNode m : entry.path("methods")) {
                List<String> params = new ArrayList<>();
                m.path("parameterTypes").forEach(p -> params.add(p.asString()));
                methods.add(m.get("name").asString() + "(" + String.join(",", params) + ")");
            }
            assertThat(listed.put(entry.get("type").asString(), methods)).as("listed once: %s", entry).isNull();
        }
        return listed;
    }
}
