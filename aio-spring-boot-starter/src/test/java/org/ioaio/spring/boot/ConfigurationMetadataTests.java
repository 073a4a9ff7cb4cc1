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

package org.ioaio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The configuration processor's metadata lists every aio.* property with a description and, where one exists, its default. */
class ConfigurationMetadataTests {

    /** Every property the starter documents, with its default ({@code null}: none, said in the description). */
    private static final Map<String, String> EXPECTED = new HashMap<>();

    static {
        EXPECTED.put("aio.min-parallel", "4");
        EXPECTED.put("aio.max-parallel", "8");
        EXPECTED.put("aio.max-idle", null); // replaced by aio.min-parallel: deprecated, level error
        EXPECTED.put("aio.idle-timeout", "10s");
        EXPECTED.put("aio.max-outstanding", "0");
        EXPECTED.put("aio.backend", "auto");
        EXPECTED.put("aio.io-uring", "auto");
        EXPECTED.put("aio.root", null);
        EXPECTED.put("aio.thread-name-prefix", "aio");
        EXPECTED.put("aio.record-times", "true");
        EXPECTED.put("aio.batch-workers", "true");
        EXPECTED.put("aio.poll.enabled", "true");
        EXPECTED.put("aio.poll.max-reqs", "0");
        EXPECTED.put("aio.poll.max-time", "0ms");
        EXPECTED.put("aio.shutdown.grace-period", "10s");
        EXPECTED.put("aio.health.max-wait", "30s");
        EXPECTED.put("aio.health.max-poll-delay", "10s");
        EXPECTED.put("aio.health.max-stall", "60s");
        EXPECTED.put("aio.health.backlog-status", null);
        EXPECTED.put("management.endpoint.aio.allow-zero-max-parallel", "false");
        EXPECTED.put("aio.reactive.chunk-size", "64KB");
        EXPECTED.put("aio.reactive.event-loop-responses", "true");
        EXPECTED.put("aio.context-propagation.enabled", "true");
        EXPECTED.put("aio.context-propagation.mdc", "true");
        EXPECTED.put("aio.observations.enabled", "false");
        EXPECTED.put("management.health.aio.enabled", "true");
    }

    /** Each property is there, described, with its default. */
    @Test
    void everyPropertyIsDescribedWithItsDefault() throws Exception {
        List<JsonNode> properties = new ArrayList<>();
        for (String name : List.of("META-INF/spring-configuration-metadata.json")) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
                assertThat(in).as(name).isNotNull();
                JsonMapper.builder().build().readTree(in).get("properties").forEach(properties::add);
            }
        }
        Map<String, JsonNode> byName = new HashMap<>();
        properties.forEach(p -> byName.put(p.get("name").asString(), p));
        assertThat(byName.keySet().stream().filter(n -> n.startsWith("aio.")))
                .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet().stream().filter(n -> n.startsWith("aio.")).toList());
        EXPECTED.forEach((name, defaultValue) -> {
            JsonNode p = byName.get(name);
            assertThat(p).as(name).isNotNull();
            assertThat(p.path("description").asString("")).as(name + " description").isNotBlank();
            if (defaultValue == null) {
                assertThat(p.has("defaultValue")).as(name + " has no default").isFalse();
            } else {
                assertThat(p.get("defaultValue").asString()).as(name + " default").isEqualTo(defaultValue);
            }
        });
    }
}
