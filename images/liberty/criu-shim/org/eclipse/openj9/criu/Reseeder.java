/* instanton-bench: see JVMCRIUException for what this package is. */
package org.eclipse.openj9.criu;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The java.util.Random instances created before a checkpoint, reseeded at restore as OpenJ9 does
 * (its juRandomReseed hook: every instance of exactly java.util.Random, the seed mixed with the
 * clock), here with kernel entropy mixed in too. Random's constructor is retransformed at the
 * agent's start to report each new instance until the restore; instances are held weakly.
 */
public final class Reseeder {
    private static final Map<Random, Boolean> CREATED = Collections.synchronizedMap(new WeakHashMap<>());
    private static volatile boolean tracking;

    private Reseeder() {}

    /** Called at the end of Random(long) (every Random constructor ends there). */
    public static void track(Random random) {
        if (tracking && random.getClass() == Random.class) {
            CREATED.put(random, Boolean.TRUE);
        }
    }

    /** From the agent's premain: report Random instances from now on (java.base must read this module). */
    static void start(Instrumentation inst) throws Exception {
        Module base = Object.class.getModule();
        inst.redefineModule(base, Set.of(Reseeder.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
        tracking = true;
        ClassFileTransformer transformer = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                    ProtectionDomain domain, byte[] bytes) {
                return "java/util/Random".equals(name) ? withTracking(bytes) : null;
            }
        };
        inst.addTransformer(transformer, true);
        try {
            inst.retransformClasses(Random.class);
        } finally {
            inst.removeTransformer(transformer);
        }
    }

    private static byte[] withTracking(byte[] bytes) {
        ClassFile cf = ClassFile.of();
        ClassDesc reseeder = ClassDesc.of(Reseeder.class.getName());
        MethodTypeDesc track = MethodTypeDesc.of(ConstantDescs.CD_void, ClassDesc.of("java.util.Random"));
        return cf.transformClass(cf.parse(bytes), ClassTransform.transformingMethodBodies(
                m -> m.methodName().equalsString("<init>") && m.methodType().equalsString("(J)V"),
                (code, element) -> {
                    if (element instanceof ReturnInstruction) {
                        code.aload(0);
                        code.invokestatic(reseeder, "track", track);
                    }
                    code.with(element);
                }));
    }

    /** At restore: every tracked Random gets a new seed; no more tracking. Returns how many. */
    static int reseed() {
        tracking = false;
        List<Random> all;
        synchronized (CREATED) {
            all = new ArrayList<>(CREATED.keySet());
            CREATED.clear();
        }
        CheckpointRandoms.StatelessRandom kernel = new CheckpointRandoms.StatelessRandom();
        byte[] fresh = new byte[8];
        for (Random random : all) {
            kernel.engineNextBytes(fresh);
            long mixed = 0;
            for (byte b : fresh) mixed = (mixed << 8) | (b & 0xff);
            random.setSeed(mixed ^ System.nanoTime() ^ random.nextLong() * 1181783497276652981L);
        }
        return all.size();
    }
}
