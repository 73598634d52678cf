/**
 * Decode the shim's list of TCP connections held at the dump (/proc/net/tcp{,6} form:
 * "0100007F:1F90 -> 0500590A:1538", addresses as the kernel's native-endian words).
 */
export interface Connection {
  readonly local: string;
  readonly remote: string;
  readonly loopback: boolean;
}

function decodeIpv4(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

function decodeIpv6(hex: string): string {
  const groups: string[] = [];
  for (let w = 0; w < 4; w += 1) {
    const word = hex.toLowerCase().slice(w * 8, w * 8 + 8);
    const bytes = (word.match(/../g) ?? []).reverse().join('');
    groups.push(bytes.slice(0, 4), bytes.slice(4, 8));
  }
  const full = groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':');
  if (full.startsWith('0:0:0:0:0:ffff:')) {
    const v4 = hex.slice(24);
    return decodeIpv4(v4);
  }
  return full;
}

function decodeEndpoint(text: string): { address: string; port: number } | undefined {
  const m = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(text.trim());
  if (!m?.[1] || !m[2]) return undefined;
  return { address: m[1].length === 8 ? decodeIpv4(m[1]) : decodeIpv6(m[1]), port: Number.parseInt(m[2], 16) };
}

export function parseConnections(text: string): Connection[] {
  const out: Connection[] = [];
  for (const line of text.split('\n')) {
    const [l, r] = line.split('->').map((s) => s.trim());
    if (!l || !r) continue;
    const local = decodeEndpoint(l);
    const remote = decodeEndpoint(r);
    if (!local || !remote) continue;
    const loopback = remote.address.startsWith('127.') || remote.address === '0:0:0:0:0:0:0:1';
    const fmt = (e: { address: string; port: number }): string =>
      e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
    out.push({ local: fmt(local), remote: fmt(remote), loopback });
  }
  return out;
}
