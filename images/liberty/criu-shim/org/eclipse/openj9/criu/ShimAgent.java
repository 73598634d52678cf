/* instanton-bench: see JVMCRIUException for what this package is. */
package org.eclipse.openj9.criu;

import java.lang.instrument.Instrumentation;

/**
 * The shim's agent, given only to JVMs that will checkpoint (images/liberty/checkpoint.sh adds
 * -javaagent to JVM_ARGS): stateless SecureRandoms until the restore (CheckpointRandoms) and
 * java.util.Random instances tracked for reseeding at restore (Reseeder), as OpenJ9 does.
 */
public final class ShimAgent {
    private ShimAgent() {}

    public static void premain(String args, Instrumentation inst) {
        CheckpointRandoms.install();
        try {
            Reseeder.start(inst);
        } catch (Throwable t) {
            System.err.println("instanton-bench criu shim: java.util.Random will not be reseeded at restore: " + t);
        }
    }

    /** In the restored process, before the server's post-restore hooks. */
    static void restored() {
        CheckpointRandoms.uninstall();
        Reseeder.reseed();
    }
}
