import { describe, expect, it } from 'vitest';
import { parseConnections } from '../../../src/verify/connections.js';

describe('parseConnections', () => {
  it('decodes /proc/net/tcp addresses and flags loopback peers', () => {
    // 10.89.0.5:45678 -> 10.89.0.2:5432, and 127.0.0.1:40000 -> 127.0.0.1:9080
    const text = '0500590A:B26E -> 0200590A:1538\n0100007F:9C40 -> 0100007F:2378\n';
    expect(parseConnections(text)).toEqual([
      { local: '10.89.0.5:45678', remote: '10.89.0.2:5432', loopback: false },
      { local: '127.0.0.1:40000', remote: '127.0.0.1:9080', loopback: true },
    ]);
  });

  it('decodes IPv6 and v4-mapped addresses', () => {
    const mapped = '0000000000000000FFFF00000500590A:B26E -> 0000000000000000FFFF00000200590A:1538';
    expect(parseConnections(mapped)[0]).toEqual({
      local: '10.89.0.5:45678',
      remote: '10.89.0.2:5432',
      loopback: false,
    });
    const loop = '00000000000000000000000001000000:1F90 -> 00000000000000000000000001000000:C350';
    expect(parseConnections(loop)[0]?.loopback).toBe(true);
  });

  it('ignores empty and malformed lines', () => {
    expect(parseConnections('\nnonsense\nzz:1 -> yy:2\n')).toEqual([]);
  });
});
