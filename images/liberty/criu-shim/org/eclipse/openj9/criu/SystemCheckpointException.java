/* instanton-bench: see JVMCRIUException for what this package is. */
package org.eclipse.openj9.criu;

/** CRIU could not dump the process. */
public final class SystemCheckpointException extends JVMCRIUException {
    private static final long serialVersionUID = 1L;

    public SystemCheckpointException(String message, int errorCode) {
        super(message, errorCode);
    }

    public SystemCheckpointException(String message, int errorCode, Throwable cause) {
        super(message, errorCode, cause);
    }
}
