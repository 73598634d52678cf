/*
 * instanton-bench: a portable checkpoint's JVM sees a baseline CPU.
 *
 * HotSpot chooses its instructions from CPUID once, at start-up, and some it runs wherever the
 * CPU has them with no option to turn them off (SERIALIZE in OrderAccess::cross_modify_fence).
 * A checkpoint taken on a newer CPU then dies of SIGILL when restored on an older one. This
 * library, preloaded into the server's `java` only, turns on the kernel's CPUID faulting for
 * that process (arch_prctl(ARCH_SET_CPUID, 0), Linux 4.12+, where /proc/cpuinfo lists
 * cpuid_fault) and answers each CPUID with the features of the baseline level cleared, so the
 * JVM generates only code every CPU of that level runs. HotSpot keeps a SIGSEGV handler installed
 * before it (its signal chaining, UseSignalChaining) and calls it for a fault that is not its
 * own. glibc chooses its routines before any preloaded library runs: GLIBC_TUNABLES masks those
 * (entrypoint.sh). Other processes (bash, CRIU) are left alone: the faulting setting is reset at
 * execve, and the constructor does nothing outside a `java` executable.
 *
 * IB_CPU_BASELINE names the level: x86-64-v2 (SSE4.2, POPCNT, CX16, LAHF: Nehalem and later) or
 * x86-64-v3 (v2 plus AVX, AVX2, BMI1/2, FMA, F16C, LZCNT, MOVBE, XSAVE: Haswell and later).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define ARCH_SET_CPUID 0x1012
#define BIT(n) (1u << (n))

static int level; /* 2 or 3 */

static void real_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
  __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static void mask(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
  switch (leaf) {
  case 1: {
    /* ECX: PCLMULQDQ 1, FMA 12, MOVBE 22, AES 25, XSAVE 26, OSXSAVE 27, AVX 28, F16C 29, RDRAND 30 */
    uint32_t clear = BIT(1) | BIT(25) | BIT(30);
    if (level < 3) clear |= BIT(12) | BIT(22) | BIT(26) | BIT(27) | BIT(28) | BIT(29);
    r[2] &= ~clear;
    break;
  }
  case 7:
    if (level >= 3 && sub == 0) {
      /* EBX: keep BMI1 3, AVX2 5, BMI2 8 */
      r[0] = 0;
      r[1] &= BIT(3) | BIT(5) | BIT(8);
      r[2] = r[3] = 0;
    } else {
      r[0] = r[1] = r[2] = r[3] = 0;
    }
    break;
  case 0xd:
    /* XSAVE: x87, SSE and (v3) AVX state only */
    if (level < 3) {
      r[0] = r[1] = r[2] = r[3] = 0;
    } else if (sub == 0) {
      r[0] &= 0x7;
      r[3] = 0;
    } else if (sub == 1) {
      r[0] &= BIT(0); /* XSAVEOPT only */
      r[1] = r[2] = r[3] = 0;
    } else if (sub > 2) {
      r[0] = r[1] = r[2] = r[3] = 0;
    }
    break;
  case 0x14: /* processor trace */
  case 0x19: /* key locker */
  case 0x1d: /* AMX tiles */
  case 0x1e:
  case 0x24: /* AVX10 */
    r[0] = r[1] = r[2] = r[3] = 0;
    break;
  case 0x80000001: {
    /* ECX: keep LAHF 0; LZCNT 5 (v3 only); SSE4A 6, PREFETCHW 8, XOP 11, FMA4 16, TBM 21 cleared */
    uint32_t clear = BIT(6) | BIT(8) | BIT(11) | BIT(16) | BIT(21);
    if (level < 3) clear |= BIT(5);
    r[2] &= ~clear;
    /* EDX: RDTSCP 27 (in neither level; QEMU's Nehalem model has none) */
    r[3] &= ~BIT(27);
    break;
  }
  default:
    break;
  }
}

static void on_segv(int sig, siginfo_t *info, void *ctx) {
  ucontext_t *uc = ctx;
  const unsigned char *pc = (const unsigned char *)uc->uc_mcontext.gregs[REG_RIP];
  (void)info;
  if (pc != 0 && pc[0] == 0x0f && pc[1] == 0xa2) {
    uint32_t r[4];
    uint32_t leaf = (uint32_t)uc->uc_mcontext.gregs[REG_RAX];
    uint32_t sub = (uint32_t)uc->uc_mcontext.gregs[REG_RCX];
    syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
    real_cpuid(leaf, sub, r);
    syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
    mask(leaf, sub, r);
    uc->uc_mcontext.gregs[REG_RAX] = r[0];
    uc->uc_mcontext.gregs[REG_RBX] = r[1];
    uc->uc_mcontext.gregs[REG_RCX] = r[2];
    uc->uc_mcontext.gregs[REG_RDX] = r[3];
    uc->uc_mcontext.gregs[REG_RIP] += 2;
    return;
  }
  /* Not a CPUID: the default action (a crash, as without this library). */
  signal(sig, SIG_DFL);
}

static void say(const char *m) { (void)!write(2, m, strlen(m)); }

__attribute__((constructor)) static void init(void) {
  char exe[512];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return;
  exe[n] = 0;
  const char *base = strrchr(exe, '/');
  if (strcmp(base ? base + 1 : exe, "java") != 0) return;
  const char *want = getenv("IB_CPU_BASELINE");
  if (want == 0 || strcmp(want, "x86-64-v2") == 0) level = 2;
  else if (strcmp(want, "x86-64-v3") == 0) level = 3;
  else {
    say("cpu-baseline: IB_CPU_BASELINE must be x86-64-v2 or x86-64-v3\n");
    _exit(2);
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGSEGV, &sa, 0) != 0 || syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) != 0) {
    /* Refuse rather than take a checkpoint that is not what it says. */
    say("cpu-baseline: this kernel or CPU has no CPUID faulting (cpuid_fault in /proc/cpuinfo): "
        "a portable checkpoint cannot be taken here\n");
    _exit(2);
  }
  say("cpu-baseline: CPUID limited to ");
  say(level == 2 ? "x86-64-v2\n" : "x86-64-v3\n");
}
