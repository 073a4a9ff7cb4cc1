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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * For {@link ForeignDowncallMetadataTests} (test code, called by name: Java 17 code cannot name it):
 * initialises every class of the engine's {@code org.ioaio.internal.linux} package, so that each
 * links its handles, and returns every shape {@link Downcalls} recorded, in the metadata's words.
 */
public final class LinkedDowncalls {

    /** The names the metadata may use, each resolved by the linker as GraalVM resolves them. */
    private static final List<String> NAMES = List.of("jint", "jlong", "void*", "jshort", "jbyte", "jchar",
            "jboolean", "jfloat", "jdouble");

    private LinkedDowncalls() {
    }

    /**
     * Every downcall shape the engine links, after all of its linux classes were initialised.
     *
     * @return the shapes, in no order
     * @throws IllegalStateException if a layout or option has no name in the metadata's vocabulary
     */
    public static List<DowncallShape> shapes() {
        initialiseEveryClass();
        List<DowncallShape> shapes = new ArrayList<>();
        for (Downcalls.Shape shape : Downcalls.shapes()) {
            shapes.add(describe(shape));
        }
        return shapes;
    }

    /** Loads and initialises each class file of this package in the engine's output directory. */
    private static void initialiseEveryClass() {
        Path dir;
        try {
            Path root = Path.of(Downcalls.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            dir = root.resolve(Downcalls.class.getPackageName().replace('.', '/'));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the engine's classes are not in a directory: " + dir);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String simple = file.getFileName().toString().replace(".class", "");
                Class.forName(Downcalls.class.getPackageName() + "." + simple, true, Downcalls.class.getClassLoader());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DowncallShape describe(Downcalls.Shape shape) {
        FunctionDescriptor d = shape.descriptor();
        String returnType = d.returnLayout().map(LinkedDowncalls::name).orElse("void");
        List<String> parameters = d.argumentLayouts().stream().map(LinkedDowncalls::name).toList();
        boolean capture = false;
        Integer firstVariadic = null;
        Boolean critical = null;
        for (Linker.Option option : shape.options()) {
            if (option.equals(Linker.Option.captureCallState("errno"))) {
                capture = true;
            } else if (option.equals(Linker.Option.critical(false))) {
                critical = false;
            } else if (option.equals(Linker.Option.critical(true))) {
                critical = true;
            } else {
                firstVariadic = firstVariadicIndex(option, parameters.size());
            }
        }
        return new DowncallShape(returnType, parameters, capture, firstVariadic, critical);
    }

    private static int firstVariadicIndex(Linker.Option option, int parameters) {
        for (int i = 0; i <= parameters; i++) {
            if (option.equals(Linker.Option.firstVariadicArg(i))) {
                return i;
            }
        }
        throw new IllegalStateException("a linker option the metadata cannot express here: " + option);
    }

    /** The canonical name whose layout (as this JVM's linker defines it) is {@code layout}. */
    private static String name(MemoryLayout layout) {
        MemoryLayout plain = layout instanceof AddressLayout a ? a.withoutTargetLayout() : layout;
        plain = plain.withoutName();
        Map<String, MemoryLayout> canonical = Linker.nativeLinker().canonicalLayouts();
        for (String name : NAMES) {
            MemoryLayout c = canonical.get(name);
            MemoryLayout cPlain = c instanceof AddressLayout a ? a.withoutTargetLayout() : c;
            if (cPlain.equals(plain)) {
                return name;
            }
        }
        throw new IllegalStateException("no canonical layout name for " + layout);
    }
}
