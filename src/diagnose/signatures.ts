/**
 * Failure signatures of checkpoints and restores: evidence patterns, likely cause, remedy.
 * Sources: CRIU's error messages (criu/*.c), Open Liberty's messages (CWWKC*, CWWKE*), the
 * shared notes (environment.md, liberty-instanton.md) and the issues they cite.
 */
export interface Signature {
  readonly id: string;
  readonly title: string;
  readonly patterns: readonly RegExp[];
  readonly cause: string;
  readonly remedy: string;
}

export const SIGNATURES: readonly Signature[] = [
  {
    id: 'cpu-feature-missing',
    title: 'the restored JVM ran an instruction this CPU does not have',
    // HotSpot's fatal error header ("#  SIGILL (0x4) at pc=..."), whole or as a guest's console cut it.
    patterns: [/SIGILL \(0x4\) at pc=/, /^#\s+SIGILL\b/, /Illegal instruction/],
    cause:
      "the checkpoint holds code chosen for its host's CPU (HotSpot's compiled code and stubs, glibc's routines; " +
      'HotSpot 25 runs SERIALIZE and CLWB wherever the CPU has them) and this CPU lacks one of those features (seen: a ' +
      'checkpoint from a Sapphire Rapids-class host restored in a Nehalem guest died in ' +
      'SafepointMechanism::update_poll_values)',
    remedy:
      'forecast the restore before deploying (instanton-bench forecast --image IMAGE --hosts PROFILE), take a ' +
      "portable checkpoint (an arm's cpu-baseline=x86-64-v2: the JVM limited to that CPU level where the host has " +
      'CPUID faulting; cpu-baseline=x86-64-v3-clwb by JVM options where it has not), take it on the ' +
      "oldest CPU of the nodes, or keep the pods on nodes of the checkpoint host's CPU generation",
  },
  {
    id: 'non-root-bounding-set',
    title: 'a server that is not root tried to change its capability bounding set',
    patterns: [/setpriv: apply bounding set: Operation not permitted/],
    cause:
      'the image runs its server as a user other than root (USER 1001, as the official images do) and an ' +
      "older local base's checkpoint.sh narrowed the bounding set with setpriv, which needs root (CAP_SETPCAP)",
    remedy:
      'rebuild the local base (instanton-bench build --base): its server runs as uid 1001, CRIU has file ' +
      'capabilities and Liberty checkpoints with CRIU --unprivileged; the tool gives such a checkpoint run the restore ' +
      "containers' capabilities instead of --privileged",
  },
  {
    id: 'guard-regions-kernel',
    title: "this kernel cannot recreate the checkpoint's guard regions",
    patterns: [/MADV_GUARD_INSTALL\) failed/],
    cause:
      'the checkpoint was taken on Linux 6.13 or later, where glibc 2.42+ marks thread stack guards with ' +
      'MADV_GUARD_INSTALL; this kernel (older than 6.13) does not know that madvise (seen: a checkpoint from 6.18 ' +
      "restored on Debian 12's 6.1)",
    remedy: "restore on Linux 6.13 or later, or take the checkpoint on a host with the nodes' kernel (or an older one)",
  },
  {
    id: 'vdso-mismatch',
    title: "CRIU cannot handle this kernel's vDSO",
    patterns: [/Unexpected rt vDSO area bounds/, /vdso: .*(Can't|Unexpected|Error)/i],
    cause: "the CRIU build is older than the kernel (seen: Debian 12's CRIU 3.17 on Linux 6.18)",
    remedy: "use CRIU 4.2 or newer in the image (Debian sid's criu), as the local profile does",
  },
  {
    id: 'so-passcred-inet',
    title: 'CRIU asked an inet socket for SO_PASSCRED/SO_PASSSEC',
    patterns: [/Can't get \d+:(16|34) opt: Operation not supported/, /SO_PASS(CRED|SEC).*(not supported|Operation)/],
    cause:
      'Linux 6.16 and newer refuse SO_PASSCRED/SO_PASSSEC on AF_INET/AF_INET6 sockets and CRIU before 4.2 asks for ' +
      "them while dumping (seen: Debian 13's CRIU 4.1)",
    remedy: 'use CRIU 4.2 or newer in the image',
  },
  {
    id: 'rseq-ptrace-unsupported',
    title: "the kernel cannot report a thread's rseq area to CRIU",
    patterns: [/get_rseq_conf/, /PTRACE_GET_RSEQ_CONFIGURATION/, /rseq.*(ptrace|not supported by the kernel)/i],
    cause:
      'glibc 2.35+ registers rseq for every thread and this kernel (< 5.13, e.g. EKS 5.10) lacks ' +
      'ptrace(PTRACE_GET_RSEQ_CONFIGURATION); see criu#1696, openj9#20416',
    remedy:
      "run the JVM with GLIBC_TUNABLES=glibc.pthread.rseq=0 at checkpoint (Liberty's bin/server sets it), use a " +
      'kernel >= 5.13, or a CRIU with the rseq fix',
  },
  {
    id: 'rseq-registered',
    title: 'a thread had rseq registered at the dump',
    patterns: [/Checkpointing rseq is not supported/, /rseq: .*registered/i, /Can't dump rseq/],
    cause: 'the process registered rseq (glibc default) without the tunable that turns it off',
    remedy: 'start the checkpointed JVM with GLIBC_TUNABLES=glibc.pthread.rseq=0',
  },
  {
    id: 'capabilities-restore',
    title: 'the restoring container lacks capabilities the dumped process held',
    patterns: [/Unable to restore capabilities/, /BUG at criu\/pie\/restorer\.c/],
    cause:
      "the checkpointed server held capabilities (e.g. a privileged container's full set) that the restore container " +
      'does not have; CRIU cannot grant more than it holds and may hang',
    remedy:
      'checkpoint a server whose capability bounding set fits the restore container (instanton-bench does), or ' +
      'restore with --privileged',
  },
  {
    id: 'seccomp-or-caps-syscalls',
    title: 'seccomp or missing capabilities refused a syscall CRIU needs',
    patterns: [
      /(clone3|ptrace|vmsplice|process_vm_readv|setns|unshare)[^\n]*Operation not permitted/i,
      /seccomp[^\n]*(Error|denied|not permitted|EPERM|killed)/i,
      /Error[^\n]*Can't (create|open) (net|time|pid) ?ns/i,
    ],
    cause:
      'restore needs CHECKPOINT_RESTORE and SETPCAP, and syscalls (clone3, ptrace, vmsplice) that the default ' +
      "seccomp profile or missing capabilities block; CRIU's feature probing also needs SYS_ADMIN (netns), " +
      'NET_ADMIN and SYS_TIME (time namespace)',
    remedy:
      'add --cap-add CHECKPOINT_RESTORE --cap-add SETPCAP --cap-add NET_ADMIN --cap-add SYS_ADMIN --cap-add SYS_TIME ' +
      '(the least privilege measured here), or --security-opt seccomp=unconfined, or --privileged',
  },
  {
    id: 'netns-denied',
    title: "CRIU's kernel-feature detection cannot create a network namespace",
    patterns: [
      /Unable create a network namespace: Operation not permitted/,
      /Could not initialize kernel features detection/,
    ],
    cause:
      'the restore container lacks CAP_SYS_ADMIN (seen with only CHECKPOINT_RESTORE and SETPCAP, the capabilities ' +
      "Open Liberty's docs name): CRIU 4.2 probes kernel features in a new network namespace before it restores",
    remedy:
      'grant the restore container SYS_ADMIN as well (the least privilege that works here: CHECKPOINT_RESTORE, ' +
      'SETPCAP, NET_ADMIN, SYS_ADMIN, SYS_TIME), or restore with --privileged',
  },
  {
    id: 'ns-last-pid',
    title: 'CRIU cannot choose the restored PIDs',
    patterns: [
      /ns_last_pid[^\n]*(Read-only|Permission denied|EROFS|EPERM)/i,
      /Can't open ns_last_pid/,
      /clone3\(\) with set_tid not supported/,
    ],
    cause:
      '/proc/sys/kernel/ns_last_pid is read-only in the container and clone3(set_tid) is not allowed (a kernel ' +
      'before 5.3 has no clone3; some seccomp profiles refuse it)',
    remedy:
      'grant CAP_CHECKPOINT_RESTORE (kernel >= 5.9) so CRIU can use clone3 with set_tid, or restore with --privileged',
  },
  {
    id: 'pid-in-use',
    title: 'a PID of the checkpoint is already taken in the restore container',
    patterns: [
      /PID \d+ (is )?already (in use|exists)/i,
      /set_tid[^\n]*File exists/,
      /Pid \d+ do not match expected \d+/,
      /clone3[^\n]*(EEXIST|File exists)/,
    ],
    cause:
      "restored processes keep their PIDs; a low PID used at checkpoint is taken by the restore container's own " +
      'processes',
    remedy:
      'move the PID counter past what restore containers use before the checkpoint (the entrypoint runs ~1000 ' +
      "trivial commands first, as Liberty's images do)",
  },
  {
    id: 'file-changed',
    title: 'a file the process had open changed or vanished since the checkpoint',
    patterns: [
      /File [^\n]* has bad size/i,
      /size mismatch/i,
      /Can't open file [^\n]* on restore/i,
      /Can't open [^\n]*: No such file or directory/,
      /ghost file/i,
    ],
    cause: 'files the dumped process had open must be present with the same size at restore',
    remedy:
      'restore from the committed image of the checkpoint container (podman commit keeps the filesystem with the ' +
      'checkpoint); do not mount over files the server had open',
  },
  {
    id: 'damaged-image',
    title: 'the checkpoint image is incomplete or damaged',
    patterns: [/Unexpected EOF on/, /Can't open image [^\n]*(core|mm|pagemap|inventory)/i, /Error reading from image/i],
    cause: 'an image file of the checkpoint is missing or truncated',
    remedy: 'rebuild the checkpoint image (instanton-bench build rebuilds what changed; build --rebuild forces it)',
  },
  {
    id: 'tcp-established',
    title: 'an established TCP connection could not be restored',
    patterns: [
      /Can't restore [^\n]*(TCP|tcp)/,
      /tcp: [^\n]*(Can't|failed)/,
      /TCP repair mode[^\n]*(failed|not supported)/i,
      /captured \d+ established TCP connection/,
    ],
    cause:
      'the checkpoint holds an established connection (e.g. to a database opened during startup); its peer has ' +
      'closed it since',
    remedy: 'checkpoint at beforeAppStart, or open connections lazily after restore',
  },
  {
    id: 'so-buf-lock',
    title: 'SO_BUF_LOCK not supported on the restore kernel',
    patterns: [/SO_BUF_LOCK/],
    cause: 'the restore kernel is older than the checkpoint kernel (SO_BUF_LOCK arrived in 5.14)',
    remedy:
      'restore on a kernel at least as new as the checkpoint one; the warning is harmless if the restore otherwise ' +
      'succeeded',
  },
  {
    id: 'cpu-mismatch',
    title: 'the restore CPU lacks features the checkpoint used',
    patterns: [
      /cpuinfo[^\n]*(mismatch|not match)/i,
      /CPU feature[^\n]*(missing|not supported)/i,
      /cpu: [^\n]*(mismatch|incompatible)/i,
      /Unsupported CPU/i,
    ],
    cause:
      'checkpoint and restore ran on different CPU models (open-liberty#23360, openj9#24233); a restored JVM may use ' +
      'instructions the new CPU lacks',
    remedy:
      'checkpoint on the oldest CPU model of the fleet, or mask CPU features at checkpoint (Liberty sets ' +
      'GLIBC_TUNABLES hwcaps; OpenJ9 has a portable mode)',
  },
  {
    id: 'liberty-checkpoint-failed',
    title: 'Liberty: the checkpoint failed (CWWKC0453E)',
    patterns: [/CWWKC0453E/],
    cause: 'CRIU could not dump the server; the line after it, and checkpoint.log, say why',
    remedy: 'read logs/checkpoint/checkpoint.log; run instanton-bench diagnose on that directory',
  },
  {
    id: 'liberty-restore-failed-in-jvm',
    title: 'Liberty: the restore failed inside the JVM (CWWKC0454E/CWWKC0458E)',
    patterns: [/CWWKC0454E/, /CWWKC0458E/],
    cause: 'the process was restored but a post-restore step failed; the server may still print CWWKF0011I',
    remedy: 'see messages.log around the message; never count such a start as a restore',
  },
  {
    id: 'liberty-feature-no-checkpoint',
    title: 'Liberty: a configured feature does not support checkpoint (CWWKC0456E)',
    patterns: [/CWWKC0456E/],
    cause: 'server.xml enables a feature InstantOn does not support',
    remedy:
      'remove or replace the features the message names in server.xml (or a file it includes); instanton-bench build ' +
      'names the checkpoint-capable replacement before building',
  },
  {
    id: 'liberty-features-incompatible',
    title: 'Liberty: incompatible features, none installed (CWWKF0044E/CWWKF0046W)',
    patterns: [/CWWKF0044E/, /CWWKF0046W/],
    cause:
      'server.xml (or a file it includes) enables features of different Jakarta EE / MicroProfile levels; Liberty ' +
      'then installs no feature at all, yet a checkpoint is still taken',
    remedy:
      'use features of one platform level (the message names the pair, e.g. restfulWS-3.1 of Jakarta EE 10 goes with ' +
      'enterpriseBeansLite-4.0, not ejbLite-3.2 of Java EE 7), then build again',
  },
  {
    id: 'liberty-no-jvm-support',
    title: 'Liberty: the JVM has no CRIU support (CWWKC0459E)',
    patterns: [/CWWKC0459E/],
    cause: 'the JVM does not provide org.eclipse.openj9.criu (plain HotSpot)',
    remedy: "use an OpenJ9/Semeru JVM (semeru profile) or the local profile's CRIU API on the boot class path",
  },
  {
    id: 'liberty-fallback',
    title: 'Liberty fell back to a normal start (CWWKE0961I/CWWKE0957I)',
    patterns: [/CWWKE0961I/, /CWWKE0957I/],
    cause: 'criu restore failed and bin/server started the server without the checkpoint: a silent cold start',
    remedy:
      'see the CRIU lines matched next to this one; --strict (CRIU_RESTORE_DISABLE_RECOVERY=true) makes such starts ' +
      'fail instead',
  },
  {
    id: 'liberty-restore-failed-no-recovery',
    title: 'Liberty: the restore failed and recovery is disabled (CWWKE0964E)',
    patterns: [/CWWKE0964E/],
    cause: 'criu restore failed with CRIU_RESTORE_DISABLE_RECOVERY=true, so the server did not start',
    remedy: 'see the CRIU lines matched next to this one',
  },
];
