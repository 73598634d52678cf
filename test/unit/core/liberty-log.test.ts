import { describe, expect, it } from 'vitest';
import {
  parseLogLine,
  parseSelfReportedSeconds,
  parseTimestamp,
  readyLoggedAt,
} from '../../../src/core/liberty-log.js';

const ISO_READY =
  '[2026-11-21T23:31:06.434+0000] 00000022 com.ibm.ws.kernel.feature.internal.FeatureManager            A CWWKF0011I: The defaultServer server is ready to run a smarter planet. The defaultServer server started in 6.096 seconds.';

describe('parseLogLine', () => {
  it('reads an ISO-8601 line (isoDateFormat=true): timestamp, message ID', () => {
    const line = parseLogLine(ISO_READY);
    expect(line.messageId).toBe('CWWKF0011I');
    expect(line.timestampMs).toBe(Date.UTC(2026, 10, 21, 23, 31, 6, 434));
  });

  it('honours a non-UTC offset', () => {
    expect(parseTimestamp('[2026-11-21T10:00:00.250-0230] x')).toBe(Date.UTC(2026, 10, 21, 12, 30, 0, 250));
    expect(parseTimestamp('[2026-11-21T10:00:00.250+01:00] x')).toBe(Date.UTC(2026, 10, 21, 9, 0, 0, 250));
  });

  it('reads the default locale timestamp, 24-hour, UTC', () => {
    const line = parseLogLine(
      '[9/16/23, 7:48:48:361 UTC] 0000002c com.ibm.ws.kernel.feature.internal.FeatureManager            A CWWKF0011I: The defaultServer server is ready to run a smarter planet.',
    );
    expect(line.timestampMs).toBe(Date.UTC(2023, 8, 16, 7, 48, 48, 361));
    expect(line.messageId).toBe('CWWKF0011I');
  });

  it('reads a locale timestamp with a 12-hour clock and U+202F before PM', () => {
    expect(parseTimestamp('[11/21/26, 11:22:33:700\u202fPM UTC] 00000022 x A CWWKF0011I: ready')).toBe(
      Date.UTC(2026, 10, 21, 23, 22, 33, 700),
    );
    expect(parseTimestamp('[11/21/26, 12:05:00:001\u202fAM UTC] x')).toBe(Date.UTC(2026, 10, 21, 0, 5, 0, 1));
  });

  it('reads a locale timestamp with U+202F before the closing bracket', () => {
    expect(parseTimestamp('[9/16/23, 7:48:48:361 UTC\u202f] x')).toBe(Date.UTC(2023, 8, 16, 7, 48, 48, 361));
  });

  it('gives no timestamp for an ambiguous named zone, but still the message ID', () => {
    const line = parseLogLine(
      '[9/16/23, 7:48:48:361 EST] 0000002c x A CWWKZ0001I: Application pingperf started in 2.162 seconds.',
    );
    expect(line.timestampMs).toBeUndefined();
    expect(line.messageId).toBe('CWWKZ0001I');
  });

  it('finds four-letter-prefix IDs and ignores text that only mentions an ID', () => {
    expect(parseLogLine('[2026-11-21T23:31:06.434Z] 1 x E SRVE0777E: boom').messageId).toBe('SRVE0777E');
    expect(parseLogLine('Launching defaultServer (Open Liberty 26.0.0.3)').messageId).toBeUndefined();
    expect(parseLogLine('the text names CWWKF0011I without a colon').messageId).toBeUndefined();
  });
});

describe('parseSelfReportedSeconds', () => {
  it("reads Liberty's own figure, with a dot or a decimal comma", () => {
    expect(parseSelfReportedSeconds(ISO_READY)).toBe(6.096);
    expect(parseSelfReportedSeconds('... server started in 0,512 seconds.')).toBe(0.512);
    expect(parseSelfReportedSeconds('no figure here')).toBeUndefined();
  });
});

describe('console formats', () => {
  it('reads a JSON console event: its own timestamp, message ID and message', () => {
    const line = JSON.stringify({
      type: 'liberty_message',
      host: 'abc',
      ibm_datetime: '2026-11-26T01:49:46.468+0000',
      ibm_messageId: 'CWWKF0011I',
      module: 'com.ibm.ws.kernel.feature.internal.FeatureManager',
      loglevel: 'AUDIT',
      message:
        'CWWKF0011I: The defaultServer server is ready to run a smarter planet. The defaultServer server started in 19.5 seconds.',
    });
    const parsed = parseLogLine(line);
    expect(parsed.messageId).toBe('CWWKF0011I');
    expect(parsed.timestampMs).toBe(Date.UTC(2026, 10, 26, 1, 49, 46, 468));
    expect(parseSelfReportedSeconds(parsed.text)).toBe(19.5);
  });

  it("reads the default console format's message ID (no timestamp there: ready comes from messages.log)", () => {
    const parsed = parseLogLine('[AUDIT   ] CWWKF0011I: The defaultServer server is ready to run a smarter planet.');
    expect(parsed.messageId).toBe('CWWKF0011I');
    expect(parsed.timestampMs).toBeUndefined();
    expect(
      readyLoggedAt(
        '[11/26/26, 1:49:46:468 UTC] 0000002b FeatureManager A CWWKF0012I: installed\n' +
          '[11/26/26, 1:49:47:001 UTC] 0000002b FeatureManager A CWWKF0011I: The defaultServer server is ready.',
      ),
    ).toBe(Date.UTC(2026, 10, 26, 1, 49, 47, 1));
  });

  it('a line that only looks like JSON is read as text', () => {
    expect(parseLogLine('{not json} CWWKF0011I: ready').messageId).toBe('CWWKF0011I');
  });
});
