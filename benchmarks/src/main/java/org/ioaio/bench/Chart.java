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
import java.util.Locale;

/**
 * One hand-written SVG bar chart per workload: horizontal bars, aio in blue and its peers in grey,
 * one section per table (or per row of a table whose columns are the implementations); each
 * section is scaled to its own largest figure, and every bar carries its number.
 */
final class Chart {

    private record Bar(String label, double value, boolean aio) {}

    private record Section(String title, String unit, List<Bar> bars) {}

    /** The columns drawn as bars, each as its own section, when a table has them. */
    private static final List<String> VALUE_COLUMNS =
            List.of("us/op", "seconds", "bytes per queued request", "p50 (us)", "p99 (us)", "p99.9 (us)", "CPU ms per 100k");

    private Chart() {}

    /** The chart of a harness's tables, or null when none has figures to draw. */
    static String svg(String workload, List<Suite.Block> blocks) {
        List<Section> sections = new ArrayList<>();
        for (Suite.Block b : blocks) {
            if (b.rows.isEmpty()) {
                continue;
            }
            List<Integer> values = new ArrayList<>();
            for (String unit : VALUE_COLUMNS) {
                if (b.column(unit) >= 0) {
                    values.add(b.column(unit));
                }
            }
            if (!values.isEmpty()) {
                int threads = b.column("threads");
                int impl = b.column("implementation");
                for (int value : values) {
                    String unit = b.header.get(value);
                    List<Bar> bars = new ArrayList<>();
                    for (List<String> r : b.rows) {
                        double v = value < r.size() ? Suite.Block.number(r.get(value)) : Double.NaN;
                        String label = (impl > 0 && impl < r.size() ? r.get(impl) + ", " + r.get(0) : r.get(0)).replace("`", "");
                        if (threads >= 0 && threads < r.size()) {
                            String t = r.get(threads);
                            label += ", " + t + (t.equals("1") ? " thread" : t.matches("\\d+") ? " threads" : "");
                        }
                        bars.add(new Bar(label, v, label.startsWith("aio")));
                    }
                    String title = b.section != null ? b.section : unit.startsWith("bytes") ? "heap retained" : workload;
                    sections.add(new Section(title, unit.startsWith("bytes") ? "bytes per queued request" : unit, bars));
                }
                continue;
            }
            List<Integer> cols = new ArrayList<>();
            for (int c = 0; c < b.header.size(); c++) {
                if (b.header.get(c).endsWith("(us/op)")) {
                    cols.add(c);
                }
            }
            if (cols.isEmpty()) {
                continue;
            }
            for (List<String> r : b.rows) {
                List<Bar> bars = new ArrayList<>();
                for (int c : cols) {
                    String label = b.header.get(c).replace("(us/op)", "").trim();
                    bars.add(new Bar(label, c < r.size() ? Suite.Block.number(r.get(c)) : Double.NaN, label.startsWith("aio")));
                }
                // Titled by the table's section too: two tables may have rows of the same name.
                sections.add(new Section((b.section != null ? b.section + ", " : "") + r.get(0) + " " + b.header.get(0), "us/op", bars));
            }
        }
        if (sections.isEmpty()) {
            return null;
        }

        int maxLabel = 10;
        for (Section s : sections) {
            for (Bar bar : s.bars) {
                maxLabel = Math.max(maxLabel, bar.label.length());
            }
        }
        int width = 960;
        int labelW = Math.min(520, (int) (maxLabel * 7.0) + 20);
        int barMax = width - labelW - 90;
        int rowH = 20;
        int y = 48;
        StringBuilder body = new StringBuilder();
        for (Section s : sections) {
            y += 8;
            String shorter = s.unit.startsWith("bytes") ? ", shorter is smaller)" : s.unit.startsWith("CPU") ? ", shorter is cheaper)"
                    : ", shorter is faster)";
            body.append(text(10, y + 12, s.title + " (" + s.unit + shorter, "font-weight=\"bold\""));
            y += 20;
            double max = 0;
            for (Bar bar : s.bars) {
                if (!Double.isNaN(bar.value)) {
                    max = Math.max(max, bar.value);
                }
            }
            for (Bar bar : s.bars) {
                body.append(text(labelW - 8, y + 14, bar.label, "text-anchor=\"end\""));
                if (Double.isNaN(bar.value) || max <= 0) {
                    body.append(text(labelW + 4, y + 14, "n/a", "fill=\"#888\""));
                } else {
                    double w = Math.max(1, bar.value / max * barMax);
                    body.append(String.format(Locale.ROOT,
                            "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", labelW, y + 3, w, rowH - 6,
                            bar.aio ? "#2b6cb0" : "#a0a0a0"));
                    body.append(text((int) (labelW + w + 6), y + 14, fmt(bar.value), ""));
                }
                y += rowH;
            }
        }
        int height = y + 16;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width
                + " " + height + "\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
                + text(10, 22, "aio benchmarks: " + workload + " (medians; aio blue, peers grey; each section scaled to its largest bar)",
                        "font-size=\"15\" font-weight=\"bold\"")
                + body + "</svg>\n";
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String text(int x, int y, String s, String attrs) {
        return "<text x=\"" + x + "\" y=\"" + y + "\"" + (attrs.isEmpty() ? "" : " " + attrs) + ">" + escape(s) + "</text>\n";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
