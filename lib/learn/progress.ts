/** /learn progress in the store: one row per user, scenario and step, with the state later steps need. */
import type { Kysely } from 'kysely';
import type { Database } from '@/lib/store/schema';
import type { KeyRef, StepProgress, StepState, StepStatus } from './types';

export interface SavedStep extends StepProgress {
  state: StepState;
  keys: KeyRef[];
}

function parse<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export async function loadProgress(db: Kysely<Database>, userId: string, scenario?: string): Promise<SavedStep[]> {
  let query = db.selectFrom('learn_progress').selectAll().where('user_id', '=', userId);
  if (scenario) query = query.where('scenario', '=', scenario);
  const rows = await query.orderBy('updated_at').execute();
  return rows.map((r) => ({
    scenario: r.scenario,
    step: r.step,
    status: r.status,
    reason: r.reason,
    updatedAt: Number(r.updated_at),
    state: parse<StepState>(r.state, {}),
    keys: parse<KeyRef[]>(r.keys, []),
  }));
}

/** Saves a step's outcome; a re-run replaces its row but keeps the keys of earlier runs, so reset still finds them. */
export async function saveStep(
  db: Kysely<Database>,
  row: { userId: string; scenario: string; step: string; status: StepStatus; reason: string; state: StepState; keys: KeyRef[]; now: number },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('learn_progress')
      .select('keys')
      .where('user_id', '=', row.userId)
      .where('scenario', '=', row.scenario)
      .where('step', '=', row.step)
      .executeTakeFirst();
    const keys = [...parse<KeyRef[]>(previous?.keys ?? '[]', []), ...row.keys];
    const values = {
      status: row.status,
      reason: row.reason.slice(0, 4000),
      state: JSON.stringify(row.state),
      keys: JSON.stringify(keys),
      updated_at: row.now,
    };
    if (previous) {
      await trx.updateTable('learn_progress').set(values).where('user_id', '=', row.userId).where('scenario', '=', row.scenario).where('step', '=', row.step).execute();
    } else {
      await trx.insertInto('learn_progress').values({ user_id: row.userId, scenario: row.scenario, step: row.step, ...values }).execute();
    }
  });
}

export async function clearScenario(db: Kysely<Database>, userId: string, scenario: string): Promise<number> {
  const result = await db.deleteFrom('learn_progress').where('user_id', '=', userId).where('scenario', '=', scenario).executeTakeFirst();
  return Number(result.numDeletedRows);
}
