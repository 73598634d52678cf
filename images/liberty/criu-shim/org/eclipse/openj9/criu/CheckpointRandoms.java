/* instanton-bench: see JVMCRIUException for what this package is. */
package org.eclipse.openj9.criu;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.Provider;
import java.security.SecureRandomParameters;
import java.security.SecureRandomSpi;
import java.security.Security;
import java.util.List;

/**
 * What OpenJ9's CRIUSECProvider does for the checkpoint phase, for HotSpot: until the restore,
 * every SecureRandom the server creates (DRBG, SHA1PRNG, NativePRNG, the default) is a stateless
 * one that reads the kernel's /dev/urandom on every call, so no generator state seeded before the
 * checkpoint is in the checkpoint and every restored instance draws its own bytes. At restore the
 * provider is removed: SecureRandoms created after it are the JDK's own.
 */
public final class CheckpointRandoms extends Provider {
    private static final long serialVersionUID = 1L;
    static final String NAME = "IBCRIU";
    private static final List<String> ALGORITHMS =
            List.of("DRBG", "SHA1PRNG", "NativePRNG", "NativePRNGBlocking", "NativePRNGNonBlocking");

    CheckpointRandoms() {
        super(NAME, "1", "instanton-bench checkpoint-phase SecureRandom (stateless, /dev/urandom)");
        for (String algorithm : ALGORITHMS) {
            putService(new Service(this, "SecureRandom", algorithm, StatelessRandom.class.getName(), null,
                    java.util.Map.of("ThreadSafe", "true")) {
                @Override
                public Object newInstance(Object parameter) {
                    return new StatelessRandom();
                }
            });
        }
    }

    /** Before the server starts (the agent's premain, checkpoint runs only): first in the provider list. */
    static void install() {
        Security.insertProviderAt(new CheckpointRandoms(), 1);
    }

    /** At restore: SecureRandoms created from now on come from the JDK's providers again. */
    static void uninstall() {
        Security.removeProvider(NAME);
    }

    /** Every call reads fresh bytes from the kernel; nothing is kept between calls, so nothing is checkpointed. */
    public static final class StatelessRandom extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;

        public StatelessRandom() {
            super();
        }

        public StatelessRandom(SecureRandomParameters ignored) {
            super(ignored);
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            // The kernel's pool is the seed: supplied seed material cannot make the output repeat.
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            try (InputStream in = new FileInputStream("/dev/urandom")) {
                int off = 0;
                while (off < bytes.length) {
                    int n = in.read(bytes, off, bytes.length - off);
                    if (n < 0) throw new IOException("/dev/urandom ended");
                    off += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] seed = new byte[numBytes];
            engineNextBytes(seed);
            return seed;
        }
    }
}
