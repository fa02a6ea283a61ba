import { CronTime } from 'cron';
import { Duration } from 'luxon';
import { Cluster } from '../cluster';
import { connect, databasesWithPrefix } from '../database';
import { Check } from '../report';

const TASKS_TABLE = 'backstage_backend_tasks__tasks';

/**
 * Logs, in each plugin's database, every start of a scheduled run: a trigger on the scheduler's own table
 * records each new run ticket with the database's clock and the connection's application name (the
 * replica: PGAPPNAME). Nothing in the portal is changed or asked.
 */
async function installRunLog(database: string) {
  const knex = connect(database);
  try {
    if (!(await knex.schema.hasTable(TASKS_TABLE))) return false;
    await knex.raw(`
      CREATE TABLE IF NOT EXISTS scale_task_runs (
        task_id text NOT NULL, ticket text PRIMARY KEY, replica text NOT NULL,
        slot timestamptz, started_at timestamptz NOT NULL, ended_at timestamptz);
      CREATE TABLE IF NOT EXISTS scale_task_triggers (task_id text NOT NULL, at timestamptz NOT NULL);
      CREATE OR REPLACE FUNCTION scale_log_task_run() RETURNS trigger AS $$
      BEGIN
        -- A run asked for now (scheduler.triggerTask: the next start moved earlier while idle).
        IF NEW.current_run_ticket IS NULL AND OLD.current_run_ticket IS NULL
           AND NEW.next_run_start_at < OLD.next_run_start_at THEN
          INSERT INTO scale_task_triggers VALUES (NEW.id, clock_timestamp());
        END IF;
        IF OLD.current_run_ticket IS NOT NULL
           AND NEW.current_run_ticket IS DISTINCT FROM OLD.current_run_ticket THEN
          UPDATE scale_task_runs SET ended_at = clock_timestamp() WHERE ticket = OLD.current_run_ticket;
        END IF;
        IF NEW.current_run_ticket IS NOT NULL
           AND NEW.current_run_ticket IS DISTINCT FROM OLD.current_run_ticket THEN
          -- The slot the run was due in: the scheduler keeps a fixed rate (the next slot is this one plus the
          -- interval), so a run that starts late is followed by a shorter gap, not by a double run.
          INSERT INTO scale_task_runs (task_id, ticket, replica, slot, started_at)
          VALUES (NEW.id, NEW.current_run_ticket, current_setting('application_name'),
                  OLD.next_run_start_at, clock_timestamp());
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      DROP TRIGGER IF EXISTS scale_task_runs ON ${TASKS_TABLE};
      CREATE TRIGGER scale_task_runs AFTER UPDATE ON ${TASKS_TABLE}
        FOR EACH ROW EXECUTE FUNCTION scale_log_task_run();
    `);
    return true;
  } finally {
    await knex.destroy();
  }
}

/** Seconds between two runs of a task: its interval, or the gap between its next two cron times. */
export function periodSeconds(cadence: string): number | undefined {
  if (cadence === 'manual') return undefined;
  if (cadence.startsWith('P')) return Duration.fromISO(cadence).as('seconds');
  const [first, second] = new CronTime(cadence).sendAt(2);
  return second.diff(first).as('seconds');
}

/** Slots are computed in the database; a second's rounding between two of them is not a double run. */
const SLOT_SLACK_SECONDS = 1;

/**
 * Watches every plugin's scheduled tasks on both replicas for `windowSeconds`, then checks that no run of
 * a task started while another was still running, nor in a slot closer to the previous run's than its
 * interval unless somebody triggered it (a double run), that each task due at least twice ran, and reports
 * runs per interval, how late runs started after their slot, and which replicas ran them.
 */
export async function scheduledTasksRunOnce(
  cluster: Cluster,
  windowSeconds: number,
): Promise<Check[]> {
  const databases = await databasesWithPrefix(cluster.databasePrefix);
  const watched: string[] = [];
  for (const database of databases) {
    if (await installRunLog(database)) watched.push(database);
  }
  await new Promise(resolve => setTimeout(resolve, windowSeconds * 1000));

  const checks: Check[] = [];
  for (const database of watched) {
    const plugin = database.slice(cluster.databasePrefix.length);
    const knex = connect(database);
    try {
      const tasks = (await knex(TASKS_TABLE).select(
        'id',
        'settings_json',
      )) as Array<{ id: string; settings_json: string }>;
      const runs = (await knex('scale_task_runs')
        .select('task_id', 'slot', 'started_at', 'ended_at', 'replica')
        .orderBy('started_at')) as Array<{
        task_id: string;
        slot: Date | null;
        started_at: Date;
        ended_at: Date | null;
        replica: string;
      }>;
      const triggers = (await knex('scale_task_triggers').select(
        'task_id',
        'at',
      )) as Array<{ task_id: string; at: Date }>;
      for (const task of tasks) {
        const cadence = JSON.parse(task.settings_json).cadence as string;
        const period = periodSeconds(cadence) ?? Infinity;
        const own = runs.filter(r => r.task_id === task.id);
        // A run somebody triggered (search re-indexes docs when TechDocs publishes) may come early.
        const triggered = (i: number) =>
          triggers.some(
            t =>
              t.task_id === task.id &&
              t.at.getTime() > own[i - 1].started_at.getTime() &&
              t.at.getTime() <= own[i].started_at.getTime(),
          );
        const slotOf = (run: (typeof own)[number]) =>
          (run.slot ?? run.started_at).getTime();
        const gaps = own.slice(1).map((run, i) => ({
          seconds: (slotOf(run) - slotOf(own[i])) / 1000,
          triggered: triggered(i + 1),
        }));
        const latest = Math.max(
          0,
          ...own.map(run => (run.started_at.getTime() - slotOf(run)) / 1000),
        );
        const scheduledGaps = gaps
          .filter(gap => !gap.triggered)
          .map(gap => gap.seconds);
        const closest = scheduledGaps.length
          ? Math.min(...scheduledGaps)
          : undefined;
        const triggeredRuns = gaps.filter(gap => gap.triggered).length;
        const overlapping = own.some(
          (run, i) =>
            i > 0 &&
            (own[i - 1].ended_at === null ||
              run.started_at.getTime() < own[i - 1].ended_at!.getTime()),
        );
        const doubled =
          overlapping ||
          (closest !== undefined && closest < period - SLOT_SLACK_SECONDS);
        const byReplica = [...new Set(own.map(r => r.replica))]
          .map(
            replica =>
              `${replica.replace('replica-', '')} ${
                own.filter(r => r.replica === replica).length
              }`,
          )
          .join(', ');
        const intervals = windowSeconds / period;
        // A task due at least twice in the window that never started is work nobody did.
        const neverRan = intervals >= 2 && own.length === 0;
        checks.push({
          scenario: 'scheduled work',
          what: `${plugin}: ${task.id} (${
            Number.isFinite(period) ? `every ${Math.round(period)} s` : cadence
          })`,
          figure: `${own.length} runs in ${windowSeconds} s${
            intervals >= 1
              ? ` = ${(own.length / intervals).toFixed(2)} per interval`
              : ''
          }${byReplica ? ` (${byReplica})` : ''}${
            closest !== undefined
              ? `, slots closest ${closest.toFixed(1)} s apart`
              : ''
          }${latest >= 1 ? `, started up to ${latest.toFixed(0)} s late` : ''}${
            triggeredRuns ? `, ${triggeredRuns} triggered` : ''
          }${overlapping ? ', TWO AT ONCE' : ''}`,
          ok: !doubled && !neverRan,
        });
      }
    } finally {
      await knex.destroy();
    }
  }
  return checks;
}
