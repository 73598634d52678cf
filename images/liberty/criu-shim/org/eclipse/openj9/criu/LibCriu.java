/* instanton-bench: see JVMCRIUException for what this package is. */
package org.eclipse.openj9.criu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Thin FFM bindings to libcriu (Debian package libcriu2) and the two libc calls needed to
 * hand CRIU directory descriptors. libcriu runs `criu swrk` as a child of this process and
 * asks it to dump this process's tree: criu_dump() returns 1 in the restored process.
 */
final class LibCriu {
    static final String LIBRARY = "libcriu.so.2";
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0200000; // x86_64 / aarch64 Linux
    private static final int O_CLOEXEC = 02000000;

    private static LibCriu instance;
    private static String loadError;

    private final Linker linker = Linker.nativeLinker();
    private final SymbolLookup criu;
    private final SymbolLookup libc;

    private LibCriu(SymbolLookup criu) {
        this.criu = criu;
        this.libc = linker.defaultLookup();
    }

    static synchronized LibCriu get() {
        if (instance == null && loadError == null) {
            try {
                instance = new LibCriu(SymbolLookup.libraryLookup(LIBRARY, Arena.global()));
            } catch (Throwable t) {
                loadError = "cannot load " + LIBRARY + ": " + t;
            }
        }
        return instance;
    }

    static synchronized String loadError() {
        get();
        return loadError;
    }

    private MethodHandle handle(SymbolLookup lookup, String name, FunctionDescriptor fd) {
        Optional<MemorySegment> symbol = lookup.find(name);
        if (symbol.isEmpty()) {
            throw new UnsatisfiedLinkError(name + " not found in " + (lookup == criu ? LIBRARY : "libc"));
        }
        return linker.downcallHandle(symbol.get(), fd);
    }

    boolean has(String name) {
        return criu.find(name).isPresent();
    }

    int initOpts() throws Throwable {
        return (int) handle(criu, "criu_init_opts", FunctionDescriptor.of(JAVA_INT)).invokeExact();
    }

    void setBool(String name, boolean value) throws Throwable {
        handle(criu, name, FunctionDescriptor.ofVoid(JAVA_BOOLEAN)).invokeExact(value);
    }

    void setInt(String name, int value) throws Throwable {
        handle(criu, name, FunctionDescriptor.ofVoid(JAVA_INT)).invokeExact(value);
    }

    int setString(String name, String value) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocateFrom(value);
            return (int) handle(criu, name, FunctionDescriptor.of(JAVA_INT, ADDRESS)).invokeExact(text);
        }
    }

    void setStringVoid(String name, String value) throws Throwable {
        // Some setters return void; the string must outlive the call only until criu_dump copies it,
        // so it is allocated for the life of the process.
        MemorySegment text = Arena.global().allocateFrom(value);
        handle(criu, name, FunctionDescriptor.ofVoid(ADDRESS)).invokeExact(text);
    }

    int dump() throws Throwable {
        return (int) handle(criu, "criu_dump", FunctionDescriptor.of(JAVA_INT)).invokeExact();
    }

    int openDirectory(String path) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle open = handle(libc, "open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            return (int) open.invokeExact(arena.allocateFrom(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
    }

    void close(int fd) {
        try {
            int ignored = (int) handle(libc, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT)).invokeExact(fd);
        } catch (Throwable t) {
            // nothing to do
        }
    }
}
