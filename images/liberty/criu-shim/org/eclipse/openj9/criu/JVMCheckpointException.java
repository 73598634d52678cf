/* instanton-bench: see JVMCRIUException for what this package is. */
package org.eclipse.openj9.criu;

/** A failure in the JVM before the checkpoint (a hook threw). */
public final class JVMCheckpointException extends JVMCRIUException {
    private static final long serialVersionUID = 1L;

    public JVMCheckpointException(String message, int errorCode) {
        super(message, errorCode);
    }

    public JVMCheckpointException(String message, int errorCode, Throwable cause) {
        super(message, errorCode, cause);
    }
}
