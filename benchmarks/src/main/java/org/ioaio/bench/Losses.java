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

package org.ioaio.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where aio loses: every ratio in a harness's main ratio columns where aio did worse than a peer.
 * Columns named {@code aio / PEER} lose above 1, columns named {@code PEER / aio} below 1; a
 * column may name what it compares after a comma ({@code PEER / aio, p99}, {@code PEER / aio,
 * CPU}), otherwise it compares time. The "best passes" columns (a second view of the same run)
 * are left out, and so are aio's own other configurations in a {@code peer / aio} column.
 */
final class Losses {

    /** A ratio column's header: "aio / PEER" or "PEER / aio", then perhaps ", WHAT". */
    private static final Pattern RATIO = Pattern.compile("^(.+?) / (.+?)(?:, (p50|p99|p99\\.9|CPU))?$");

    /** Peers that are the machine's limit rather than a library. */
    private static final Set<String> LIMITS = Set.of("du -s", "cp -a", "rm -rf");

    private Losses() {}

    /** Plain statements, one per loss, as markdown list items. */
    static List<String> of(String workload, List<Suite.Block> blocks) {
        List<String> out = new ArrayList<>();
        for (Suite.Block b : blocks) {
            if (b.rows.isEmpty()) {
                continue;
            }
            for (int c = 1; c < b.header.size(); c++) {
                String h = b.header.get(c);
                if (h.contains("best passes")) {
                    continue;
                }
                Matcher m = RATIO.matcher(h);
                if (!m.matches()) {
                    continue;
                }
                boolean aioFirst = m.group(1).equals("aio");
                boolean aioLast = m.group(2).equals("aio");
                if (aioFirst == aioLast) {
                    continue;
                }
                String peer = aioFirst ? m.group(2) : m.group(1);
                String what = m.group(3);
                for (List<String> r : b.rows) {
                    if (c >= r.size() || (peer.equals("peer") && r.get(0).startsWith("aio"))) {
                        continue;
                    }
                    double v = Suite.Block.number(r.get(c));
                    if (Double.isNaN(v) || v <= 0) {
                        continue;
                    }
                    double times = aioFirst ? v : 1 / v;
                    if (times <= 1.0) {
                        continue;
                    }
                    String who = peer;
                    if (who.equals("best peer") && b.column("best Java peer") >= 0) {
                        who = "the best Java peer (" + r.get(b.column("best Java peer")) + " us/op)";
                    } else if (who.equals("peer")) {
                        who = r.get(0);
                    } else if (who.equals("TPE")) {
                        who = "ThreadPoolExecutor 8";
                    }
                    if (LIMITS.contains(who) || who.startsWith("fio") || who.startsWith("C floor")) {
                        who += " (the machine's limit)";
                    }
                    who = who.replace("`", "");
                    String x = Stats.fmt(times, 2) + "x";
                    String claim = what == null ? "aio takes " + x + " the time of " + who
                            : what.equals("CPU") ? "aio uses " + x + " the CPU time of " + who
                            : "aio's " + what + " latency is " + x + " that of " + who;
                    out.add("- **" + workload + "**" + where(b, r) + ": " + claim
                            + (times < 1.10 ? " (within 10%, about the noise here)" : "") + ".");
                }
            }
        }
        return out;
    }

    private static String where(Suite.Block b, List<String> r) {
        String h0 = b.header.get(0);
        String s = b.section != null ? ", " + b.section : "";
        if (h0.equals("queued")) {
            return s + ", " + r.get(0) + " queued";
        }
        if (h0.equals("in flight")) {
            return s + ", " + r.get(0) + " in flight";
        }
        if (h0.startsWith("aio backend, threads")) {
            return s + ", aio " + r.get(0) + " threads";
        }
        if (h0.startsWith("aio backend") || h0.startsWith("request, aio backend")) {
            return s + ", aio " + r.get(0);
        }
        return s;
    }
}
