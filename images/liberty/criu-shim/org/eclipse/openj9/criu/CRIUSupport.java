/* instanton-bench: see JVMCRIUException for what this package is. */
package org.eclipse.openj9.criu;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpoint this JVM with CRIU and resume here after a restore. Hooks run in registration
 * order: pre-checkpoint hooks before the dump, post-restore hooks after a restore.
 * After a successful dump CRIU kills the process (exit status 137), as Open Liberty expects.
 */
public final class CRIUSupport {
    private static final Object LOCK = new Object();
    private static CRIUSupport singleton;

    private Path imageDir;
    private Path workDir;
    private String logFile = "criu.log";
    private int logLevel = 2;
    private boolean shellJob;
    private boolean fileLocks;
    private boolean tcpEstablished;
    private boolean unprivileged;
    private Path restoreEnvFile;
    private final List<Runnable> preCheckpointHooks = new ArrayList<>();
    private final List<Runnable> postRestoreHooks = new ArrayList<>();

    public CRIUSupport(Path imageDir) {
        this.imageDir = imageDir;
    }

    public static CRIUSupport getCRIUSupport() {
        synchronized (LOCK) {
            if (singleton == null) {
                singleton = new CRIUSupport(null);
            }
            return singleton;
        }
    }

    /** True when libcriu can be loaded (the checkpoint itself may still fail, with a reason). */
    public static boolean isCRIUSupportEnabled() {
        return LibCriu.get() != null;
    }

    public static boolean isCheckpointAllowed() {
        return isCRIUSupportEnabled();
    }

    public static String getErrorMessage() {
        String error = LibCriu.loadError();
        return error == null ? null : error + " (install the libcriu2 package)";
    }

    public CRIUSupport setImageDir(Path dir) {
        this.imageDir = dir;
        return this;
    }

    public CRIUSupport setWorkDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    public CRIUSupport setLogFile(String file) {
        this.logFile = file;
        return this;
    }

    public CRIUSupport setLogLevel(int level) {
        this.logLevel = level;
        return this;
    }

    public CRIUSupport setShellJob(boolean value) {
        this.shellJob = value;
        return this;
    }

    public CRIUSupport setFileLocks(boolean value) {
        this.fileLocks = value;
        return this;
    }

    public CRIUSupport setTCPEstablished(boolean value) {
        this.tcpEstablished = value;
        return this;
    }

    public CRIUSupport setUnprivileged(boolean value) {
        this.unprivileged = value;
        return this;
    }

    public CRIUSupport setLeaveRunning(boolean value) {
        if (value) {
            throw new UnsupportedOperationException("leave-running checkpoints are not supported");
        }
        return this;
    }

    public CRIUSupport registerRestoreEnvFile(Path file) {
        this.restoreEnvFile = file;
        return this;
    }

    public CRIUSupport registerPreCheckpointHook(Runnable hook) {
        preCheckpointHooks.add(hook);
        return this;
    }

    /** Older name of registerPreCheckpointHook. */
    public CRIUSupport registerPreSnapshotHook(Runnable hook) {
        return registerPreCheckpointHook(hook);
    }

    public CRIUSupport registerPostRestoreHook(Runnable hook) {
        postRestoreHooks.add(hook);
        return this;
    }

    public void checkpointJVM() {
        synchronized (LOCK) {
            LibCriu criu = LibCriu.get();
            if (criu == null) {
                throw new SystemCheckpointException(getErrorMessage(), -1);
            }
            if (imageDir == null) {
                throw new JVMCheckpointException("no image directory set", -1);
            }
            for (Runnable hook : preCheckpointHooks) {
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    throw new JVMCheckpointException("pre-checkpoint hook failed: " + e, -1, e);
                }
            }
            recordEstablishedConnections();
            int imagesFd = -1;
            int workFd = -1;
            int rc;
            try {
                Files.createDirectories(imageDir);
                if (workDir != null) {
                    Files.createDirectories(workDir);
                }
                rc = criu.initOpts();
                if (rc < 0) {
                    throw new SystemCheckpointException("criu_init_opts failed: " + rc, rc);
                }
                criu.setStringVoid("criu_set_service_binary", "criu");
                imagesFd = criu.openDirectory(imageDir.toString());
                if (imagesFd < 0) {
                    throw new SystemCheckpointException("cannot open image directory " + imageDir, imagesFd);
                }
                criu.setInt("criu_set_images_dir_fd", imagesFd);
                if (workDir != null) {
                    workFd = criu.openDirectory(workDir.toString());
                    if (workFd >= 0) {
                        criu.setInt("criu_set_work_dir_fd", workFd);
                    }
                }
                criu.setInt("criu_set_log_level", logLevel);
                criu.setString("criu_set_log_file", logFile);
                criu.setBool("criu_set_shell_job", shellJob);
                criu.setBool("criu_set_file_locks", fileLocks);
                criu.setBool("criu_set_tcp_established", tcpEstablished);
                criu.setBool("criu_set_leave_running", false);
                if (unprivileged) {
                    criu.setBool("criu_set_unprivileged", true);
                }
                rc = criu.dump();
            } catch (JVMCRIUException e) {
                throw e;
            } catch (Throwable t) {
                throw new SystemCheckpointException("libcriu call failed: " + t, -1, t);
            } finally {
                if (imagesFd >= 0) {
                    criu.close(imagesFd);
                }
                if (workFd >= 0) {
                    criu.close(workFd);
                }
            }
            if (rc < 0) {
                String where = workDir == null ? logFile : workDir.resolve(logFile).toString();
                throw new SystemCheckpointException("criu_dump failed with " + rc + "; see " + where, rc);
            }
            // rc == 1: this is the restored process.
            ShimAgent.restored();
            loadRestoreEnvironment();
            for (Runnable hook : postRestoreHooks) {
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    throw new JVMRestoreException("post-restore hook failed: " + e, -1, e);
                }
            }
        }
    }

    /**
     * Write the TCP connections this process holds open at the moment of the dump to
     * ESTABLISHED_FILE beside the images (instanton-bench reads it): a checkpoint that
     * captures, say, a database connection restores a socket whose peer has long forgotten it.
     */
    private void recordEstablishedConnections() {
        try {
            java.util.Set<String> inodes = new java.util.HashSet<>();
            try (java.nio.file.DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path fd : fds) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException e) {
                        // fd closed meanwhile
                    }
                }
            }
            List<String> established = new ArrayList<>();
            for (String table : new String[] {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
                Path file = Path.of(table);
                if (!Files.isReadable(file)) {
                    continue;
                }
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st ... inode (field 9); st 01 = ESTABLISHED
                    if (f.length > 9 && "01".equals(f[3]) && inodes.contains(f[9])) {
                        established.add(f[1] + " -> " + f[2]);
                    }
                }
            }
            Files.write(imageDir.resolve("../" + ESTABLISHED_FILE).normalize(), established);
        } catch (IOException | RuntimeException e) {
            System.err.println("instanton-bench criu shim: could not list TCP connections: " + e);
        }
    }

    /** File (beside the image directory) listing established TCP connections at the dump, hex /proc form. */
    public static final String ESTABLISHED_FILE = "ib-established-connections.txt";

    /**
     * Make the restore-time environment (written by bin/server before `criu restore`) visible
     * to System.getenv(), as OpenJ9 does: new variables are added, existing ones are kept.
     * Needs java.base/java.util and java.lang opened to unnamed modules (Liberty's launch
     * options open both).
     */
    @SuppressWarnings("unchecked")
    private void loadRestoreEnvironment() {
        if (restoreEnvFile == null || !Files.isRegularFile(restoreEnvFile)) {
            return;
        }
        Map<String, String> fresh = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(restoreEnvFile)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    fresh.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            Map<String, String> current = System.getenv();
            Field m = current.getClass().getDeclaredField("m");
            m.setAccessible(true);
            Map<String, String> backing = (Map<String, String>) m.get(current);
            for (Map.Entry<String, String> e : fresh.entrySet()) {
                backing.putIfAbsent(e.getKey(), e.getValue());
            }
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            System.err.println("instanton-bench criu shim: restore environment not applied: " + e);
        }
    }
}
