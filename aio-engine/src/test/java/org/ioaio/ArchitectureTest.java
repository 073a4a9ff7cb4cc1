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

package org.ioaio;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's layering, checked on the compiled classes of both source sets (the Java 22 FFM
 * classes of {@code src/main/java22} are compiled into the same {@code target/classes}, so one
 * import sees them; {@link #importsTheJava22Classes} proves it).
 */
class ArchitectureTest {

    private static final String API = "org.ioaio";
    private static final String INTERNAL = "org.ioaio.internal..";
    private static final String SYS = "org.ioaio.internal.sys..";
    private static final String LINUX = "org.ioaio.internal.linux..";
    private static final String SCHED = "org.ioaio.internal.sched..";
    private static final String OP = "org.ioaio.internal.op..";
    private static final String TREE = "org.ioaio.internal.tree..";
    /** The packages of the engine's machinery above the syscall layer and the scheduler. */
    private static final Set<String> ABOVE = Set.of("org.ioaio.internal", "org.ioaio.internal.op", "org.ioaio.internal.tree");

    /**
     * Public API members that show an internal type today, each as "Owner.member: type". Kept as
     * known exceptions, not fixed here (changing them changes the public API): the list may only shrink.
     */
    private static final Set<String> KNOWN_EXPOSURES = Set.of();

    /**
     * Classes of the syscall layer that use a class of the engine above it today: the list may only
     * shrink. {@code UringLane} is the ring the scheduler's io_uring lane drives (it encodes the
     * per-call records, completes the scheduler's requests and implements {@code UringBackend}); it
     * lives in {@code internal.linux} because it is FFM code, which only that package may touch.
     */
    private static final Set<String> KNOWN_UPWARD = Set.of("org.ioaio.internal.linux.UringLane");

    /**
     * Classes of {@code org.ioaio.internal}, its operations and composites that the scheduler uses
     * today: the list may only shrink (it is empty: the ring its io_uring lane drives, {@code
     * UringBackend}, and the operations, {@code Op}, live in the scheduler package).
     */
    private static final Set<String> KNOWN_SCHED_USES = Set.of();

    private static JavaClasses main;

    @BeforeAll
    static void importMain() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(API);
    }

    // The import covers the FFM classes of src/main/java22 as well as src/main/java.
    @Test
    void importsTheJava22Classes() {
        assertThat(main.contain("org.ioaio.internal.linux.LinuxSyscalls")).isTrue();
        assertThat(main.contain("org.ioaio.internal.linux.Libc")).isTrue();
        assertThat(main.contain("org.ioaio.AioEngine")).isTrue();
    }

    // The public API shows no internal type in the signature of a public or protected member.
    @Test
    void publicApiExposesNoInternalType() {
        codeUnits().that(arePublicApi()).should(exposeNoInternalType()).allowEmptyShould(false).check(main);
        fields().that(arePublicApi()).should(exposeNoInternalType()).allowEmptyShould(false).check(main);
    }

    // The syscall layer (internal.sys, internal.linux) uses nothing of the engine above it: the
    // scheduler and requests of internal.sched, the composites and per-call records of
    // org.ioaio.internal, or the engine and requests of the API.
    @Test
    void syscallLayerDependsOnNothingAboveIt() {
        noClasses().that().resideInAnyPackage(SYS, LINUX)
                .and(DescribedPredicate.describe("not a known exception " + KNOWN_UPWARD,
                        (JavaClass c) -> !KNOWN_UPWARD.contains(topLevel(c).getName())))
                .should().dependOnClassesThat(areAboveTheSyscallLayer())
                .check(main);
    }

    // The scheduler (internal.sched) uses no syscall implementation, nor any part of the syscall
    // layer (internal.sys, internal.linux), and of org.ioaio.internal only the known classes.
    @Test
    void schedulerDependsOnNoSyscallImplementation() {
        noClasses().that().resideInAPackage(SCHED)
                .should().dependOnClassesThat().resideInAnyPackage(SYS, LINUX)
                .check(main);
        noClasses().that().resideInAPackage(SCHED)
                .should().dependOnClassesThat(DescribedPredicate.describe(
                        "are in " + ABOVE + " but not " + KNOWN_SCHED_USES,
                        (JavaClass c) -> ABOVE.contains(c.getBaseComponentType().getPackageName())
                                && !KNOWN_SCHED_USES.contains(topLevel(c).getName())))
                .check(main);
    }

    // The operations (internal.op) and the composites (internal.tree) use the syscall layer and the
    // scheduler, never the reverse (the scheduler and syscall-layer rules above say the reverse
    // half, with UringLane the known exception); an operation never uses a composite.
    @Test
    void operationsAndCompositesSitAboveTheSyscallLayerAndTheScheduler() {
        noClasses().that().resideInAnyPackage(SCHED, SYS, LINUX)
                .and(DescribedPredicate.describe("not a known exception " + KNOWN_UPWARD,
                        (JavaClass c) -> !KNOWN_UPWARD.contains(topLevel(c).getName())))
                .should().dependOnClassesThat().resideInAnyPackage(OP, TREE)
                .check(main);
        noClasses().that().resideInAPackage(OP)
                .should().dependOnClassesThat().resideInAPackage(TREE)
                .check(main);
        for (String above : List.of("org.ioaio.internal.op", "org.ioaio.internal.tree")) {
            for (String below : List.of("org.ioaio.internal.sys", "org.ioaio.internal.sched")) {
                assertThat(main.getPackage(above).getClassDependenciesFromThisPackageTree())
                        .as(above + " uses " + below)
                        .anyMatch(d -> d.getTargetClass().getPackageName().equals(below));
            }
        }
    }

    // Only org.ioaio.internal.linux (the Java 22 FFM code) touches java.lang.foreign, and the Java 22 API class
    // SegmentIoctl, which takes a caller's MemorySegment (and makes no downcall: it passes the segment as a buffer).
    @Test
    void onlyTheLinuxLayerTouchesForeignMemory() {
        noClasses().that().resideOutsideOfPackage(LINUX).and().doNotHaveFullyQualifiedName("org.ioaio.SegmentIoctl")
                .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
                .check(main);
        classes().that().resideInAPackage(LINUX).and().haveSimpleName("Libc")
                .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
                .check(main); // the rule above is not vacuous
    }

    // The checks can fail: an internal type in a signature is seen, and each known upward
    // dependency is still there (remove it from the list once it is gone).
    @Test
    void checksSeeWhatTheyLookFor() {
        JavaClass wd = main.get("org.ioaio.internal.sys.WorkingDirectorySyscalls");
        assertThat(internalTypes(wd.getMethod("delegate"))).containsExactly("org.ioaio.internal.sys.Syscalls");
        assertThat(main.get("org.ioaio.internal.op.SysRequest").getDirectDependenciesFromSelf())
                .as("a request kind that calls the syscall layer is seen doing so (it stays out of the scheduler)")
                .anyMatch(d -> d.getTargetClass().getPackageName().equals("org.ioaio.internal.sys"));
        assertThat(main.get("org.ioaio.internal.sched.Scheduler").getDirectDependenciesFromSelf())
                .as("the scheduler's classes are imported")
                .anyMatch(d -> d.getTargetClass().getName().equals("org.ioaio.internal.sched.ReadyQueues"));
        for (String known : KNOWN_SCHED_USES) {
            assertThat(main.getPackage("org.ioaio.internal.sched").getClassDependenciesFromThisPackageTree())
                    .as("the scheduler still uses " + known)
                    .anyMatch(d -> topLevel(d.getTargetClass()).getName().equals(known));
        }
        for (String known : KNOWN_UPWARD) {
            assertThat(main.get(known).getDirectDependenciesFromSelf())
                    .as(known + " still depends on the layer above")
                    .anyMatch(d -> areAboveTheSyscallLayer().test(d.getTargetClass()));
        }
    }

    /** A public or protected member of a public class of the API package. */
    private static DescribedPredicate<JavaMember> arePublicApi() {
        return DescribedPredicate.describe("are public API members", (JavaMember m) ->
                m.getOwner().getPackageName().equals(API)
                        && isVisible(m.getOwner())
                        && (m.getModifiers().contains(JavaModifier.PUBLIC) || m.getModifiers().contains(JavaModifier.PROTECTED))
                        && !m.getModifiers().contains(JavaModifier.SYNTHETIC));
    }

    /** The class and every class enclosing it are public. */
    private static boolean isVisible(JavaClass c) {
        for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
            if (!k.getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }

    private static <T extends JavaMember> ArchCondition<T> exposeNoInternalType() {
        return new ArchCondition<>("expose no org.ioaio.internal type") {
            @Override
            public void check(T member, ConditionEvents events) {
                for (String type : internalTypes(member)) {
                    String exposure = member.getOwner().getSimpleName() + "." + member.getName() + ": " + type;
                    if (!KNOWN_EXPOSURES.contains(exposure)) {
                        events.add(SimpleConditionEvent.violated(member, member.getFullName() + " exposes " + type));
                    }
                }
            }
        };
    }

    /** The internal types in a member's signature: return, parameter, field and thrown types, with their type arguments. */
    private static Set<String> internalTypes(JavaMember member) {
        List<JavaType> types = new ArrayList<>();
        if (member instanceof JavaCodeUnit u) {
            types.add(u.getReturnType());
            types.addAll(u.getParameterTypes());
            u.getThrowsClause().getTypes().forEach(types::add);
        } else if (member instanceof JavaField f) {
            types.add(f.getType());
        }
        Set<String> found = new TreeSet<>();
        for (JavaType t : types) {
            for (JavaClass raw : t.getAllInvolvedRawTypes()) {
                if (raw.getPackageName().startsWith("org.ioaio.internal")) {
                    found.add(raw.getName());
                }
            }
        }
        return found;
    }

    /**
     * Above the syscall layer: org.ioaio.internal, its operations and composites, the
     * scheduler package (scheduler, requests), and the
     * API's engine and requests; the API's value types (errno, stat records, constants) and the file
     * handle users hold with its exception are below it.
     */
    private static DescribedPredicate<JavaClass> areAboveTheSyscallLayer() {
        Set<String> values = new LinkedHashSet<>(List.of(
                "org.ioaio.Errno", "org.ioaio.FileStat", "org.ioaio.StatVfs", "org.ioaio.DirEntry", "org.ioaio.AioConstants",
                "org.ioaio.AioFile", "org.ioaio.AioException", "org.ioaio.RecordLock", "org.ioaio.FiemapExtent")); // a FileHandle is the AioFile users hold
        return DescribedPredicate.describe("are above the syscall layer (org.ioaio.internal and its scheduler, or the API but " + values + ")",
                (JavaClass c) -> ABOVE.contains(c.getBaseComponentType().getPackageName())
                        || c.getBaseComponentType().getPackageName().equals("org.ioaio.internal.sched")
                        || (c.getBaseComponentType().getPackageName().equals(API) && !values.contains(topLevel(c).getName())));
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass k = c.getBaseComponentType();
        while (k.getEnclosingClass().isPresent()) {
            k = k.getEnclosingClass().get();
        }
        return k;
    }
}
