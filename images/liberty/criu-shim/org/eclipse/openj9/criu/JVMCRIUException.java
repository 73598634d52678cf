/*
 * instanton-bench: the org.eclipse.openj9.criu API subset that Open Liberty's checkpoint
 * support calls (io.openliberty.checkpoint.internal.openj9.ExecuteCRIU_OpenJ9), implemented
 * for HotSpot with libcriu called through the Foreign Function & Memory API (Java 22+).
 * Written for this project from the API's published signatures; not OpenJ9 code.
 */
package org.eclipse.openj9.criu;

/** Base of every checkpoint/restore failure, carrying CRIU's (negative errno) error code. */
public class JVMCRIUException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errorCode;

    public JVMCRIUException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    public JVMCRIUException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public int getErrorCode() {
        return errorCode;
    }
}
