#!/bin/sh
# instanton-bench: the entrypoint of an app image limited to a CPU level (cpu-baseline=LEVEL).
# Cold starts and the checkpoint run start the JVM limited and glibc's own CPU-specific routines
# masked by GLIBC_TUNABLES (glibc picks them in ld.so, before any preloaded library runs). A restore
# is left as it is: the restored JVM keeps the code it generated, and CRIU itself runs unmasked.
# x86-64-v2 and x86-64-v3: libcpu-baseline.so preloaded, CPUID faulting answers the JVM's CPUID with
# the level's features (the host needs cpuid_fault). x86-64-v3-clwb: HotSpot's instruction-set
# options alone (UseAVX=2 drops AVX-512; SHA, AES, CLMUL, the CRC, Base64, ChaCha20, Poly1305 and
# multiply intrinsics and auto-vectorization off; allocation prefetch off), for hosts without CPUID
# faulting: HotSpot still flushes its instruction cache with CLWB (and fences with SERIALIZE) where
# the host has them, so the checkpoint restores on x86-64-v3 CPUs that have those.
if [ ! -d "$WLP_OUTPUT_DIR/defaultServer/workarea/checkpoint/image" ]; then
  case "$IB_CPU_BASELINE" in
    x86-64-v3-clwb)
      export JVM_ARGS="${JVM_ARGS:-} -XX:+UnlockDiagnosticVMOptions -XX:UseAVX=2 -XX:UseSSE=4 -XX:-UseSHA -XX:-UseAES -XX:-UseAESIntrinsics -XX:-UseAESCTRIntrinsics -XX:-UseCLMUL -XX:-UseGHASHIntrinsics -XX:-UseCRC32Intrinsics -XX:-UseCRC32CIntrinsics -XX:-UseAdler32Intrinsics -XX:-UseBASE64Intrinsics -XX:-UseChaCha20Intrinsics -XX:-UsePoly1305Intrinsics -XX:-UseMultiplyToLenIntrinsic -XX:-UseSquareToLenIntrinsic -XX:-UseMulAddIntrinsic -XX:-UseMontgomeryMultiplyIntrinsic -XX:-UseMontgomerySquareIntrinsic -XX:-UseSuperWord -XX:AllocatePrefetchStyle=0"
      export GLIBC_TUNABLES="glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-ERMS,-RTM,-XSAVEC:glibc.pthread.rseq=0"
      echo "cpu-baseline: JVM options limit code to $IB_CPU_BASELINE"
      ;;
    x86-64-v3)
      export LD_PRELOAD=/opt/ib/cpu-baseline/libcpu-baseline.so
      export GLIBC_TUNABLES="glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-ERMS,-RTM,-XSAVEC"
      ;;
    *)
      export LD_PRELOAD=/opt/ib/cpu-baseline/libcpu-baseline.so
      export GLIBC_TUNABLES="glibc.cpu.hwcaps=-AVX,-AVX2,-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-BMI1,-BMI2,-ERMS,-FMA,-FMA4,-LZCNT,-MOVBE,-RTM,-F16C,-XSAVE,-XSAVEC,-OSXSAVE"
      ;;
  esac
fi
exec /opt/ib/entrypoint.sh "$@"
