import { formatDate, parseDate } from '../../runtime/appsync/util/java-date-format';
import { createTimeUtils } from '../../runtime/appsync/util/time';
import { resolveZone } from '../../runtime/appsync/util/time-zones';

const NOW = 1517943695758; // 2018-02-06T19:01:35.758Z, the instant of the AppSync examples
const time = createTimeUtils(() => NOW);

describe('util.time', () => {
  it('reports now in each representation', () => {
    expect(time.nowISO8601()).toBe('2018-02-06T19:01:35.758Z');
    expect(time.nowEpochSeconds()).toBe(1517943695);
    expect(time.nowEpochMilliSeconds()).toBe(NOW);
  });

  it('formats with Java patterns and zones, as in the AppSync examples', () => {
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ')).toBe('2018-02-06 19:01:35+0000');
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ', 'Australia/Perth')).toBe('2018-02-07 03:01:35+0800');
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ', 'PST')).toBe('2018-02-06 11:01:35-0800');
    expect(time.epochMilliSecondsToFormatted(NOW, 'yyyy-MM-dd HH:mm:ssZ')).toBe('2018-02-06 19:01:35+0000');
    expect(time.epochMilliSecondsToFormatted(NOW, 'yyyy-MM-dd HH:mm:ssZ', 'PST')).toBe('2018-02-06 11:01:35-0800');
  });

  it('parses formatted and ISO 8601 timestamps, as in the AppSync examples', () => {
    expect(time.parseFormattedToEpochMilliSeconds('2018-02-01 17:21:00+0000', 'yyyy-MM-dd HH:mm:ssZ')).toBe(1517505660000);
    expect(time.parseFormattedToEpochMilliSeconds('2018-02-01 09:21:00', 'yyyy-MM-dd HH:mm:ss', 'PST')).toBe(1517505660000);
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:00Z')).toBe(1517505660000);
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-01T18:21:00.250+01:00')).toBe(1517505660250);
  });

  it('converts epoch milliseconds', () => {
    expect(time.epochMilliSecondsToSeconds(1517943695750)).toBe(1517943695);
    expect(time.epochMilliSecondsToISO8601(1517943695750)).toBe('2018-02-06T19:01:35.750Z');
  });

  it('formats names, 12-hour clocks, fractions, quoted text and offsets', () => {
    const berlinSummer = Date.UTC(2024, 6, 4, 13, 5, 9, 120);

    expect(formatDate(berlinSummer, "EEEE, d MMMM yyyy 'at' h:mm a", resolveZone('Europe/Berlin'))).toBe('Thursday, 4 July 2024 at 3:05 PM');
    expect(formatDate(berlinSummer, "EEE MMM dd HH:mm:ss.SSS XXX ''yy", resolveZone('Europe/Berlin'))).toBe("Thu Jul 04 15:05:09.120 +02:00 '24");
    expect(formatDate(berlinSummer, 'yyyy-DDD X', resolveZone('UTC'))).toBe('2024-186 Z');
  });

  it('round-trips a wall-clock time across a daylight saving change', () => {
    const zone = resolveZone('America/New_York');
    const parsed = parseDate('2024-11-03 01:30 EDT', 'yyyy-MM-dd HH:mm z', zone);

    expect(new Date(parsed).toISOString()).toBe('2024-11-03T05:30:00.000Z');
    expect(parseDate('2024-03-10 12:00', 'yyyy-MM-dd HH:mm', zone)).toBe(Date.UTC(2024, 2, 10, 16, 0));
  });

  it('fails clearly on a pattern letter it does not know, an unknown zone and unparseable text', () => {
    expect(() => time.nowFormatted('yyyy QQ')).toThrow("Unsupported pattern letter 'Q' in date format 'yyyy QQ'");
    expect(() => time.nowFormatted('yyyy', 'Mars/Olympus')).toThrow("Unknown time zone 'Mars/Olympus'");
    expect(() => time.parseFormattedToEpochMilliSeconds('02/01/2018', 'yyyy-MM-dd')).toThrow(
      "Text '02/01/2018' could not be parsed with format 'yyyy-MM-dd'",
    );
  });
});
