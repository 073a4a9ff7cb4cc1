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

package org.ioaio.faults;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.ioaio.Errno;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.ioaio.internal.sys.TreeDir;

/**
 * Fault rules for tests, and the {@link Syscalls} layers that apply them: {@link #wrap} puts a
 * {@link Proxy} over any layer, so no call is written out here; a call a rule picks fails with its
 * errno (thrown as a {@link SyscallException}, as every {@code Syscalls} call reports one), the
 * others go to the wrapped layer unchanged. {@code AioEngine.Builder.decorate} wraps the engine's
 * layer and each view's ({@code in(wd)}, jails) above the working directory's resolution, so a
 * call is seen once, with the path as the request gave it.
 *
 * <p>Calls are named by their {@link Syscalls} method ({@code "open"}, {@code "pread"}); the calls
 * on a held directory count as the path call they stand for ({@code openDir}, {@code openAt}:
 * {@code "open"}; {@code lstatAt}: {@code "lstat"}; {@code searchDirAt}: {@code "stat"}; {@code
 * fstatDir}: {@code "fstat"}; {@code unlinkAt}: {@code "unlink"} or {@code "rmdir"}; {@code
 * readdirAt}: {@code "readdir"} or {@code "readdirDents"}; the other {@code *At}: their name without
 * it). {@link Syscalls#path(String)} and the layer's properties are never failed. Rules, checked in
 * this order: the n-th call ({@link #failNth}), every call ({@link #failAlways}), at random ({@link
 * #failRandomly}); each may be limited to calls whose path matches a predicate (below).
 * An injected failure happens instead of the call, except for {@code close}, which closes first, as
 * {@code close(2)} releases the descriptor even when it fails: no injected fault leaks a file.
 *
 * <p>The paths a path rule's predicate is asked about, each as the request gave it: a path
 * argument's text (relative to the jail or working directory in a view's request); for a call on
 * an open file, the path it was opened with; on a held directory (the tree operations), the
 * directory's path joined with the entry's name. A call with two paths ({@code rename}, {@code
 * link}) matches if either does; a symlink's target is not a path; a call with none ({@code sync},
 * {@code pipe}) matches no path rule.
 *
 * <p>Thread-safe: rules can change while calls run; counters and the record are exact under
 * concurrency (which of several concurrent calls is "the n-th" is not).
 */
public final class FaultInjectingSyscalls {

    /**
     * One injected failure.
     *
     * @param method the call's name
     * @param call which call of that name it was, from 1
     * @param errno the errno injected
     */
    public record Injection(String method, long call, int errno) {}

    /** The calls on a held directory, failed under the path call's name. */
    private static final Set<String> HELD = Set.of("openDir", "openDirAt", "fstatDir", "lstatAt", "searchDirAt", "readdirAt",
            "unlinkAt", "mkdirAt", "openAt", "symlinkAt", "readlinkAt", "mknodAt");
    /** The names rules take. */
    private static final Set<String> METHODS = syscallNames();

    /** Calls made so far, by name. */
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    /** failNth and failAlways rules, in the order added. */
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    /** The failRandomly rule, or {@code null}. */
    private volatile RandomRule randomRule;
    private final ConcurrentLinkedQueue<Injection> injections = new ConcurrentLinkedQueue<>();
    /** The path each open file and held directory was opened with, as the request gave it. */
    private final Map<Object, String> opened = Collections.synchronizedMap(new WeakHashMap<>());

    /** No rule yet. */
    public FaultInjectingSyscalls() {
    }

    /**
     * A layer over {@code delegate} that applies these rules; several layers may share them.
     *
     * @param delegate the layer every call that is not failed goes to
     * @return the layer
     */
    public Syscalls wrap(Syscalls delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("delegate is null");
        }
        return (Syscalls) Proxy.newProxyInstance(Syscalls.class.getClassLoader(), new Class<?>[] {Syscalls.class},
                new Layer(delegate));
    }

    /**
     * The layer under {@code sys}'s fault layers: {@code sys} itself if it is not one.
     *
     * @param sys a layer
     * @return what it wraps, all the way down
     */
    public static Syscalls unwrap(Syscalls sys) {
        Syscalls s = sys;
        while (Proxy.isProxyClass(s.getClass()) && Proxy.getInvocationHandler(s) instanceof Layer l) {
            s = l.delegate;
        }
        return s;
    }

    /**
     * The {@code n}-th call of {@code method} (from 1, counting every call these rules have seen) fails with {@code errno}.
     *
     * @param method a call name, e.g. {@code "pread"}
     * @param n the call number, 1 or more
     * @param errno the error to fail with
     * @return this
     * @throws IllegalArgumentException for an unknown name or n below 1
     */
    public FaultInjectingSyscalls failNth(String method, long n, Errno errno) {
        return failNth(method, null, n, errno);
    }

    /**
     * The {@code n}-th call of {@code method} whose path matches {@code paths} (counted from now) fails with {@code errno}.
     *
     * @param method a call name
     * @param paths which paths (see the class comment); {@code null}: any call, counted as {@link #failNth(String, long, Errno)}
     * @param n the call number, 1 or more
     * @param errno the error to fail with
     * @return this
     * @throws IllegalArgumentException for an unknown name or n below 1
     */
    public FaultInjectingSyscalls failNth(String method, Predicate<String> paths, long n, Errno errno) {
        checkMethod(method);
        if (n < 1) {
            throw new IllegalArgumentException("n must be 1 or more: " + n);
        }
        rules.add(new Rule(method, paths, n, errno.code()));
        return this;
    }

    /**
     * Every call of {@code method} fails with {@code errno}, until {@link #clear()}; replaces an earlier such rule.
     *
     * @param method a call name
     * @param errno the error to fail with
     * @return this
     * @throws IllegalArgumentException for an unknown name
     */
    public FaultInjectingSyscalls failAlways(String method, Errno errno) {
        checkMethod(method);
        rules.removeIf(r -> r.nth == 0 && r.paths == null && r.method.equals(method));
        rules.add(new Rule(method, null, 0, errno.code()));
        return this;
    }

    /**
     * Every call of {@code method} whose path matches {@code paths} fails with {@code errno}, until {@link #clear()}.
     *
     * @param method a call name
     * @param paths which paths (see the class comment)
     * @param errno the error to fail with
     * @return this
     * @throws IllegalArgumentException for an unknown name or a null predicate
     */
    public FaultInjectingSyscalls failAlways(String method, Predicate<String> paths, Errno errno) {
        checkMethod(method);
        if (paths == null) {
            throw new IllegalArgumentException("paths must not be null");
        }
        rules.add(new Rule(method, paths, 0, errno.code()));
        return this;
    }

    /**
     * Each call fails with {@code probability}, with an errno picked from {@code errnos} (EIO, ENOSPC, EINTR when none); replaces an earlier random rule.
     *
     * @param seed the seed of the random sequence
     * @param probability 0 to 1
     * @param errnos the errors to pick from
     * @return this
     * @throws IllegalArgumentException if the probability is outside 0..1
     */
    public FaultInjectingSyscalls failRandomly(long seed, double probability, Errno... errnos) {
        return failRandomly(seed, probability, METHODS, null, errnos);
    }

    /**
     * Each call of {@code methods} fails with {@code probability}, with an errno picked from {@code errnos}; replaces an earlier random rule.
     *
     * @param seed the seed of the random sequence
     * @param probability 0 to 1
     * @param methods the call names it applies to
     * @param errnos the errors to pick from (EIO, ENOSPC, EINTR when none)
     * @return this
     * @throws IllegalArgumentException for an unknown name or a probability outside 0..1
     */
    public FaultInjectingSyscalls failRandomly(long seed, double probability, Set<String> methods, Errno... errnos) {
        return failRandomly(seed, probability, methods, null, errnos);
    }

    /**
     * As {@link #failRandomly(long, double, Set, Errno...)}, for the calls whose path matches {@code paths} only.
     *
     * @param seed the seed of the random sequence
     * @param probability 0 to 1
     * @param methods the call names it applies to
     * @param paths which paths (see the class comment); {@code null}: any call
     * @param errnos the errors to pick from (EIO, ENOSPC, EINTR when none)
     * @return this
     * @throws IllegalArgumentException for an unknown name or a probability outside 0..1
     */
    public FaultInjectingSyscalls failRandomly(long seed, double probability, Set<String> methods, Predicate<String> paths,
            Errno... errnos) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be within 0..1: " + probability);
        }
        methods.forEach(FaultInjectingSyscalls::checkMethod);
        Errno[] choices = errnos.length == 0 ? new Errno[] {Errno.EIO, Errno.ENOSPC, Errno.EINTR} : errnos.clone();
        randomRule = new RandomRule(new Random(seed), probability, Set.copyOf(methods), paths, choices);
        return this;
    }

    /**
     * Removes every rule (counters and the record of injections stay).
     *
     * @return this
     */
    public FaultInjectingSyscalls clear() {
        rules.clear();
        randomRule = null;
        return this;
    }

    /**
     * The number of calls of {@code method} made, failed ones included.
     *
     * @param method a call name
     * @return the count
     */
    public long calls(String method) {
        checkMethod(method);
        AtomicLong c = calls.get(method);
        return c == null ? 0 : c.get();
    }

    /** The number of failures injected so far. */
    public int injectedCount() {
        return injections.size();
    }

    /** Every failure injected so far, in order. */
    public List<Injection> injections() {
        return Collections.unmodifiableList(new ArrayList<>(injections));
    }

    /** The paths of a call, for the path rules (see the class comment). */
    private List<String> paths(Method method, Object[] args) {
        List<String> out = new ArrayList<>(2);
        if (args == null) {
            return out;
        }
        boolean symlink = method.getName().startsWith("symlink");
        for (int i = symlink ? 1 : 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Path p) {
                out.add(p.toString());
            } else if (a instanceof Pathname n) {
                out.add(n.text());
            } else if (a instanceof FileHandle || a instanceof TreeDir) {
                String base = opened.get(a);
                if (base == null && a instanceof TreeDir d) {
                    base = d.path().toString();
                }
                if (i + 1 < args.length && a instanceof TreeDir && args[i + 1] instanceof Path name) {
                    out.add(base == null || base.isEmpty() ? name.toString() : base.endsWith("/") ? base + name : base + "/" + name);
                    i++;
                } else if (base != null) {
                    out.add(base);
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- the decision

    private record Rule(String method, Predicate<String> paths, long nth, int errno, AtomicLong matched) {
        Rule(String method, Predicate<String> paths, long nth, int errno) {
            this(method, paths, nth, errno, new AtomicLong());
        }
    }

    private record RandomRule(Random random, double probability, Set<String> methods, Predicate<String> paths, Errno[] errnos) {
        /** The errno to inject, or 0. */
        int roll(String method, List<String> callPaths) {
            if (!methods.contains(method) || (paths != null && !matches(paths, callPaths))) {
                return 0;
            }
            synchronized (random) {
                if (random.nextDouble() >= probability) {
                    return 0;
                }
                return errnos[random.nextInt(errnos.length)].code();
            }
        }
    }

    private static boolean matches(Predicate<String> paths, List<String> callPaths) {
        for (String p : callPaths) {
            if (paths.test(p)) {
                return true;
            }
        }
        return false;
    }

    /** Counts the call and returns the errno to fail it with, or 0. */
    private int decide(String method, List<String> callPaths) {
        long n = calls.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
        int errno = 0;
        for (Rule r : rules) { // every matching n-th rule counts the call, even once one has decided
            if (r.nth != 0 && r.method.equals(method)) {
                boolean hit = r.paths == null ? n == r.nth : matches(r.paths, callPaths) && r.matched.incrementAndGet() == r.nth;
                if (hit && errno == 0) {
                    errno = r.errno;
                }
            }
        }
        for (Rule r : rules) {
            if (errno == 0 && r.nth == 0 && r.method.equals(method) && (r.paths == null || matches(r.paths, callPaths))) {
                errno = r.errno;
            }
        }
        RandomRule random = randomRule;
        if (errno == 0 && random != null) {
            errno = random.roll(method, callPaths);
        }
        if (errno != 0) {
            injections.add(new Injection(method, n, errno));
        }
        return errno;
    }

    /** The name a call is counted and failed under, or {@code null} for one never failed. */
    private static String nameOf(Method m, Object[] args) {
        String name = m.getName();
        if (name.equals("path") || !Arrays.asList(m.getExceptionTypes()).contains(SyscallException.class)) {
            return null;
        }
        return switch (name) {
            case "openDir", "openDirAt", "openAt" -> "open";
            case "fstatDir" -> "fstat";
            case "searchDirAt" -> "stat";
            case "readdirAt" -> (Boolean) args[1] ? "readdirDents" : "readdir";
            case "unlinkAt" -> (Boolean) args[2] ? "rmdir" : "unlink";
            default -> HELD.contains(name) ? name.substring(0, name.length() - 2) : name;
        };
    }

    private static void checkMethod(String method) {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("not a Syscalls method: " + method + " (one of " + new TreeSet<>(METHODS) + ")");
        }
    }

    private static Set<String> syscallNames() {
        Set<String> names = new TreeSet<>();
        for (Method m : Syscalls.class.getMethods()) {
            if (Arrays.asList(m.getExceptionTypes()).contains(SyscallException.class)) {
                names.add(m.getName());
            }
        }
        names.remove("path");
        names.removeAll(HELD);
        return Set.copyOf(names);
    }

    /** One layer: the rules over one wrapped layer. */
    private final class Layer implements InvocationHandler {

        final Syscalls delegate;

        Layer(Syscalls delegate) {
            this.delegate = delegate;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> FaultInjectingSyscalls.this + " over " + delegate;
                };
            }
            String name = nameOf(m, args);
            if (name == null) {
                return forward(m, args);
            }
            List<String> callPaths = paths(m, args);
            int errno = decide(name, callPaths);
            if (errno != 0 && !name.equals("close")) {
                throw new SyscallException(errno);
            }
            Object result;
            try {
                result = forward(m, args);
            } finally {
                if (name.equals("close")) {
                    opened.remove(args[0]);
                }
            }
            if (errno != 0) {
                throw new SyscallException(errno); // close: closed, then failed
            }
            if ((result instanceof FileHandle || result instanceof TreeDir) && !callPaths.isEmpty()) {
                opened.put(result, callPaths.get(0));
            }
            return result;
        }

        private Object forward(Method m, Object[] args) throws Throwable {
            try {
                return m.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** The rules in force, for test failure messages. */
    @Override
    public String toString() {
        RandomRule r = randomRule;
        return "FaultInjectingSyscalls[rules=" + rules.size()
                + (r == null ? "" : ", random p=" + r.probability + " " + Arrays.toString(r.errnos))
                + ", injected=" + injections.size() + "]";
    }
}
