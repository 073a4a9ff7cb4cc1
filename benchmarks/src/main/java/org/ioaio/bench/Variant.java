package org.ioaio.bench;

import java.util.List;

/** One measured variant of a benchmark: runs once and stores its figure for pass {@code p}. */
@FunctionalInterface
interface Variant {

    /**
     * Runs the variant once.
     *
     * @param pass the pass number, the index its figure goes to
     * @throws Exception on failure
     */
    void run(int pass) throws Exception;

    /**
     * Runs every variant once, starting with variant {@code pass % size} and wrapping around, so
     * that no variant always runs right after the same other one (a peer's after-effects, such
     * as a subprocess exiting or the GC of the previous variant's garbage, move around).
     *
     * @param variants the variants
     * @param pass the pass number
     * @throws Exception on failure
     */
    static void runPass(List<Variant> variants, int pass) throws Exception {
        int n = variants.size();
        for (int i = 0; i < n; i++) {
            variants.get((pass + i) % n).run(pass);
        }
    }
}
