/* instanton-bench: see JVMCRIUException for what this package is. Older name of JVMRestoreException. */
package org.eclipse.openj9.criu;

public final class RestoreException extends JVMCRIUException {
    private static final long serialVersionUID = 1L;

    public RestoreException(String message, int errorCode) {
        super(message, errorCode);
    }
}
