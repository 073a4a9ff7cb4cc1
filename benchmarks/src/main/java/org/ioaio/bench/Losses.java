package org.ioaio.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Where aio loses: every ratio in a harness's main ratio columns where aio took longer than a
 * peer. Columns named {@code aio / PEER} lose above 1, columns named {@code PEER / aio} below 1;
 * the "best passes" columns (a second view of the same run) are left out.
 */
final class Losses {

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
                boolean aioFirst = h.startsWith("aio / ");
                boolean aioLast = h.endsWith(" / aio");
                if (!aioFirst && !aioLast) {
                    continue;
                }
                String peer = aioFirst ? h.substring("aio / ".length()) : h.substring(0, h.length() - " / aio".length());
                for (List<String> r : b.rows) {
                    if (c >= r.size()) {
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
                    if (java.util.Set.of("fio", "du -s", "cp -a", "rm -rf").contains(who)) {
                        who += " (the machine's limit)";
                    }
                    out.add("- **" + workload + "**" + where(b, r) + ": aio takes " + Stats.fmt(times, 2)
                            + "x the time of " + who.replace("`", "") + (times < 1.10 ? " (within 10%, about the noise here)" : "") + ".");
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
        if (h0.startsWith("aio backend")) {
            return s + ", aio " + r.get(0) + " threads";
        }
        return s;
    }
}
