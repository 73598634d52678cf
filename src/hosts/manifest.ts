import { RESTORE_CAPABILITIES } from '../engine/capabilities.js';

/**
 * The Kubernetes objects that probe every node where the team's pods run: a ConfigMap holding
 * the probe script and a DaemonSet whose pod runs it once per node and then sleeps (a
 * DaemonSet's pods must keep running; the profile stays in the pod's log). The pod asks for
 * the capabilities a least-privilege InstantOn restore needs, so the profile says what a
 * restore pod there really gets (a node or policy that refuses them shows in the profile).
 */
export function probeManifest(opts: {
  readonly script: string;
  readonly image: string;
  readonly namespace: string;
}): [Record<string, unknown>, Record<string, unknown>] {
  const labels = { app: 'instanton-bench-probe' };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'instanton-bench-probe', namespace: opts.namespace, labels },
    data: { 'probe.sh': opts.script },
  };
  const daemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'instanton-bench-probe', namespace: opts.namespace, labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          tolerations: [{ operator: 'Exists' }],
          containers: [
            {
              name: 'probe',
              image: opts.image,
              command: ['/bin/sh', '-c', 'sh /probe/probe.sh; exec sleep 2147483647'],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              securityContext: {
                capabilities: { add: [...RESTORE_CAPABILITIES] },
              },
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
              volumeMounts: [{ name: 'probe', mountPath: '/probe', readOnly: true }],
            },
          ],
          volumes: [{ name: 'probe', configMap: { name: 'instanton-bench-probe' } }],
        },
      },
    },
  };
  return [configMap, daemonSet];
}
