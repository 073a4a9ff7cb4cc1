package org.ioaio.bench;

import java.util.Arrays;

/** Medians of repeated passes: these machines are noisy, so every figure is a median. */
final class Stats {

    private Stats() {}

    /** The median of the values (the lower middle for an even count). */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[(v.length - 1) / 2];
    }

    /** The smallest value: on a shared machine noise only adds time, so the best pass is a second view. */
    static double min(double[] values) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** Formats a number with {@code digits} decimals. */
    static String fmt(double v, int digits) {
        return String.format(java.util.Locale.ROOT, "%." + digits + "f", v);
    }
}
