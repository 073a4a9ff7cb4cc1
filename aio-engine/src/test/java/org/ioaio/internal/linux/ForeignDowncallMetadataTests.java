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

package org.ioaio.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine's GraalVM reachability metadata ({@code foreign.downcalls}) lists exactly the FFM
 * downcall shapes the engine links, in the format GraalVM documents, so a native image can make
 * every handle and the file cannot rot as downcalls are added or removed.
 */
class ForeignDowncallMetadataTests {

    private static final String DIR = "META-INF/native-image/org.ioaio/aio-engine/";
    private static final Set<String> TYPES = Set.of("void", "jint", "jlong", "void*", "jshort", "jbyte", "jchar",
            "jboolean", "jfloat", "jdouble");
    private static final Set<String> ENTRY_KEYS = Set.of("returnType", "parameterTypes", "options");
    private static final Set<String> OPTION_KEYS = Set.of("captureCallState", "firstVariadicArg", "critical");

    /** Every shape (descriptor and options) the engine links is listed in the metadata. */
    @Test
    void everyLinkedDowncallIsListed() {
        List<DowncallShape> linked = linked();
        assertThat(linked).as("the engine links downcalls").isNotEmpty();
        assertThat(listed()).as("foreign.downcalls of %s", DIR + "reachability-metadata.json")
                .containsAll(linked);
    }

    /** The metadata lists no shape the engine does not link (any more). */
    @Test
    void nothingStaleIsListed() {
        assertThat(linked()).as("downcall shapes the engine links").containsAll(listed());
    }

    /** Each entry is listed once, with the documented keys, canonical type names and option kinds. */
    @Test
    void entriesAreWellFormedAndUnique() {
        JsonNode downcalls = metadata().path("foreign").path("downcalls");
        assertThat(downcalls.isArray()).as("foreign.downcalls is an array").isTrue();
        for (JsonNode entry : downcalls) {
            assertThat(names(entry)).as("keys of %s", entry).isSubsetOf(ENTRY_KEYS).contains("returnType", "parameterTypes");
            assertThat(entry.get("returnType").asString()).as("return type of %s", entry).isIn(TYPES);
            for (JsonNode p : entry.get("parameterTypes")) {
                assertThat(p.asString()).as("a parameter type of %s", entry).isIn(TYPES).isNotEqualTo("void");
            }
            if (entry.has("options")) {
                assertThat(names(entry.get("options"))).as("options of %s", entry).isSubsetOf(OPTION_KEYS);
            }
        }
        List<DowncallShape> listed = listed();
        assertThat(new HashSet<>(listed)).as("entries listed once").hasSameSizeAs(listed);
    }

    /** The image builder is told to enable FFM support (experimental, off by default before GraalVM 25). */
    @Test
    void foreignApiSupportIsEnabled() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = resource("native-image.properties")) {
            properties.load(in);
        }
        assertThat(properties.getProperty("Args"))
                .contains("-H:+UnlockExperimentalVMOptions -H:+ForeignAPISupport -H:-UnlockExperimentalVMOptions");
    }

    /** The shapes the engine links: only on Java 22+, where its FFM classes exist. */
    @SuppressWarnings("unchecked")
    private static List<DowncallShape> linked() {
        assumeTrue(Runtime.version().feature() >= 22,
                "the FFM downcalls are linked on Java 22+ only; this JVM is " + Runtime.version());
        try {
            return (List<DowncallShape>) Class.forName("org.ioaio.internal.linux.LinkedDowncalls")
                    .getMethod("shapes").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shapes the metadata lists, read as GraalVM reads them. */
    private static List<DowncallShape> listed() {
        List<DowncallShape> shapes = new ArrayList<>();
        for (JsonNode entry : metadata().path("foreign").path("downcalls")) {
            List<String> parameters = new ArrayList<>();
            entry.get("parameterTypes").forEach(p -> parameters.add(p.asString()));
            JsonNode options = entry.path("options");
            shapes.add(new DowncallShape(entry.get("returnType").asString(), parameters,
                    options.path("captureCallState").asBoolean(false),
                    options.has("firstVariadicArg") ? options.get("firstVariadicArg").asInt() : null,
                    options.has("critical") ? options.get("critical").path("allowHeapAccess").asBoolean(false) : null));
        }
        return shapes;
    }

    private static JsonNode metadata() {
        try (InputStream in = resource("reachability-metadata.json")) {
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ForeignDowncallMetadataTests.class.getClassLoader().getResourceAsStream(DIR + name);
        assertThat(in).as("%s on the class path", DIR + name).isNotNull();
        return in;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.propertyNames().forEach(names::add);
        return names;
    }
}
