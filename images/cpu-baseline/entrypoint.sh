#!/bin/sh
# instanton-bench: the entrypoint of an app image limited to a CPU level (cpu-baseline=LEVEL).
# Cold starts and the checkpoint run start the JVM with libcpu-baseline.so preloaded (its CPUID
# answers limited to the level) and glibc's own CPU-specific routines masked by GLIBC_TUNABLES
# (glibc picks them in ld.so, before any preloaded library runs). A restore is left as it is:
# the restored JVM keeps the code it generated, and CRIU itself runs unmasked.
if [ ! -d "$WLP_OUTPUT_DIR/defaultServer/workarea/checkpoint/image" ]; then
  export LD_PRELOAD=/opt/ib/cpu-baseline/libcpu-baseline.so
  case "$IB_CPU_BASELINE" in
    x86-64-v3) export GLIBC_TUNABLES="glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-ERMS,-RTM,-XSAVEC" ;;
    *) export GLIBC_TUNABLES="glibc.cpu.hwcaps=-AVX,-AVX2,-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-BMI1,-BMI2,-ERMS,-FMA,-FMA4,-LZCNT,-MOVBE,-RTM,-F16C,-XSAVE,-XSAVEC,-OSXSAVE" ;;
  esac
fi
exec /opt/ib/entrypoint.sh "$@"
