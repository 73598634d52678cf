/* instanton-bench: see JVMCRIUException for what this package is. */
package org.eclipse.openj9.criu;

/** A failure of the system after restore. */
public final class SystemRestoreException extends JVMCRIUException {
    private static final long serialVersionUID = 1L;

    public SystemRestoreException(String message, int errorCode) {
        super(message, errorCode);
    }

    public SystemRestoreException(String message, int errorCode, Throwable cause) {
        super(message, errorCode, cause);
    }
}
