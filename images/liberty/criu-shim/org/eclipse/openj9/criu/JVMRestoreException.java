/* instanton-bench: see JVMCRIUException for what this package is. */
package org.eclipse.openj9.criu;

/** A failure in the JVM after restore (a hook threw). */
public final class JVMRestoreException extends JVMCRIUException {
    private static final long serialVersionUID = 1L;

    public JVMRestoreException(String message, int errorCode) {
        super(message, errorCode);
    }

    public JVMRestoreException(String message, int errorCode, Throwable cause) {
        super(message, errorCode, cause);
    }
}
