import type { Engine } from '../engine/engine.js';
import type { RunRecord } from '../results/types.js';
import { measureGuestRestore } from '../measure/guest-start.js';
import { checkpointRecord } from '../images/checkpoint/checkpoint-record.js';
import { forecast } from '../hosts/forecast.js';
import { readProfile } from '../hosts/read.js';
import { guestProfilePath } from '../hosts/guest-store.js';

/**
 * A restore in a guest (run --restore-on), with what `forecast` said of that checkpoint on that
 * guest's profile before it was tried: the report sets the two side by side.
 */
export async function guestStartWithForecast(
  engine: Engine,
  guestName: string,
  image: string,
  spec: Omit<Parameters<typeof measureGuestRestore>[2], 'image'>,
): Promise<RunRecord> {
  const predicted = forecast(await checkpointRecord(engine, image), await readProfile(guestProfilePath(guestName)!));
  const record = await measureGuestRestore(engine, guestName, { ...spec, image });
  return record.guest
    ? {
        ...record,
        guest: {
          ...record.guest,
          forecast: {
            outcome: predicted.outcome,
            reasons: predicted.findings.filter((f) => f.outcome !== 'restores').map((f) => f.reason),
          },
        },
      }
    : record;
}
