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
        // IB_CRIU_SHIM_RANDOMS=keep: a negative control for the entropy probe (tests only): the generators keep the
        // state they had at the checkpoint, so every restore of it answers alike.
        if ("keep".equals(System.getenv("IB_CRIU_SHIM_RANDOMS"))) {
            System.err.println("instanton-bench criu shim: IB_CRIU_SHIM_RANDOMS=keep: random state kept as checkpointed");
            return;
        }
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
