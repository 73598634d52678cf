import { describe, expect, it } from 'vitest';
import os from 'node:os';
import { capture } from '../../support/capture-io.js';
import { hostsManifestCommand } from '../../../src/cli/commands/hosts.js';

describe('hosts manifest', () => {
  it("writes a ConfigMap with the probe script and a DaemonSet that runs it on every node, valid by Kubernetes' schema", async () => {
    const io = capture(os.tmpdir());
    expect(await hostsManifestCommand({ namespace: 'perf' }, io)).toBe(0);
    interface Doc {
      kind: string;
      metadata: { namespace: string };
      data: Record<string, string>;
      spec: {
        template: {
          spec: {
            containers: Array<{
              securityContext: { capabilities: { add: string[] } };
              env: Array<{ valueFrom: { fieldRef: { fieldPath: string } } }>;
            }>;
          };
        };
      };
    }
    const list = JSON.parse(io.stdout.join('\n')) as { items: Doc[] };
    const [configMap, daemonSet] = list.items;
    expect(configMap!.kind).toBe('ConfigMap');
    expect(configMap!.data['probe.sh']).toContain('==instanton-bench-host-probe 1==');
    expect(daemonSet!.kind).toBe('DaemonSet');
    expect(daemonSet!.metadata.namespace).toBe('perf');
    const container = daemonSet!.spec.template.spec.containers[0]!;
    expect(container.securityContext.capabilities.add).toContain('CHECKPOINT_RESTORE');
    expect(container.env[0]!.valueFrom.fieldRef.fieldPath).toBe('spec.nodeName');
  });
});
