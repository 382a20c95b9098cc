/**
 * Data migrations that apply a business rule, so they are written in TypeScript and call the
 * rule's one function instead of repeating it in SQL. Each runs once, after the SQL migrations,
 * in its own transaction, and is recorded in `data_migrations`.
 */
import { eq, sql } from 'drizzle-orm';
import { appendAudit } from '../src/lib/server/audit/commands.ts';
import { publishVersion } from '../src/lib/server/ballots/commands/publish.ts';
import { loadRound } from '../src/lib/server/ballots/load.ts';
import {
	getLiveResultsUncached,
	getPublishedResults,
} from '../src/lib/server/ballots/queries/results.ts';
import { canonicalJson } from '../src/lib/server/ballots/recount.ts';
import { comparableResults } from '../src/lib/server/ballots/results.ts';
import { namesSpecialMatter, ruleFor } from '../src/lib/server/ballots/rules.ts';
import type { ResultsView } from '../src/lib/server/ballots/types.ts';
import { queryRows, type Db, type Tx } from './client.ts';
import { dataMigrations, roundChoiceQuestions, roundItems } from './schema/index.ts';

type DataMigration = { name: string; run(tx: Tx): Promise<void> };

/** Every verdict of a results view, keyed by where it was taken. */
function verdictsOf(view: ResultsView): Map<string, string> {
	const found = new Map<string, string>();
	for (const item of view.items) {
		for (const d of [...item.decisions, ...item.buildings]) {
			found.set(`item ${item.id} ${d.level} ${d.scopeId}`, d.verdict);
		}
	}
	for (const question of view.questions ?? []) {
		for (const d of [...question.decisions, ...question.buildings]) {
			found.set(`question ${question.id} ${d.level} ${d.scopeId}`, `${d.outcome}:${d.winner}`);
		}
	}
	return found;
}

/**
 * The law by default (issue "verdicts that follow the law"): every special matter of 民法典 art.
 * 278 (6)–(8) — a menu item marked so, a typed question or choice question whose words name one —
 * is decided with ≥ 3/4 whatever its round chose; plan-opinion and needs results stand only where
 * 2/3 of the households took part. Corrects each round's rules (audited per item), then publishes
 * a correction version of every published result the rules now compute differently, listing each
 * verdict that changed in its note's audit entry.
 */
const lawByDefault: DataMigration = {
	name: 'law_by_default',
	async run(tx) {
		const items = await queryRows<Record<string, unknown>>(
			tx,
			sql`select i.id, i.round_id, i.rule, i.title, i.title_en, i.item_id, i.question_id,
			           coalesce(m.special_matter, false) as menu_special,
			           q.title as q_title, q.title_en as q_title_en, r.community_id
			    from round_items i
			    join rounds r2 on r2.id = i.round_id
			    join projects r on r.id = r2.project_id
			    left join renovation_items m on m.id = i.item_id
			    left join round_choice_questions q on q.id = i.question_id
			    order by i.id`,
		);
		const specialQuestions = new Set<number>();
		for (const item of items) {
			const words =
				item.question_id !== null
					? `${item.q_title} ${item.q_title_en} ${item.title} ${item.title_en}`
					: `${item.title} ${item.title_en}`;
			const special =
				Boolean(item.menu_special) || (item.item_id === null && namesSpecialMatter(words));
			if (!special) continue;
			if (item.question_id !== null) specialQuestions.add(Number(item.question_id));
			const from = String(item.rule) as Parameters<typeof ruleFor>[0];
			const to = ruleFor(from, true);
			await tx
				.update(roundItems)
				.set({ specialMatter: true, rule: to as typeof roundItems.$inferInsert.rule })
				.where(eq(roundItems.id, Number(item.id)));
			if (from === to) continue;
			await appendAudit(tx, {
				actorId: null,
				actorKind: 'system',
				action: 'round.rule_corrected',
				targetType: 'round',
				targetId: Number(item.round_id),
				communityId: Number(item.community_id),
				details: {
					roundItemId: Number(item.id),
					from,
					to,
					reason: 'civil_code_278_special_matter',
				},
			});
		}
		for (const id of specialQuestions) {
			await tx
				.update(roundChoiceQuestions)
				.set({ specialMatter: true, rule: 'civil_code_three_quarters' })
				.where(eq(roundChoiceQuestions.id, id));
		}
		const published = await queryRows<{ round_id: number }>(
			tx,
			sql`select distinct round_id from round_results order by round_id`,
		);
		for (const { round_id } of published) {
			const round = (await loadRound(tx, Number(round_id)))!;
			const before = (await getPublishedResults(tx, round.id))!;
			const now = await getLiveResultsUncached(tx, round);
			const same = (view: ResultsView) => canonicalJson(comparableResults(view));
			if (same(now) === same(before.view)) continue;
			const old = verdictsOf(before.view);
			const changed = [...verdictsOf(now)]
				.filter(([where, verdict]) => old.get(where) !== verdict)
				.map(([where, verdict]) => ({ where, from: old.get(where) ?? null, to: verdict }));
			await publishVersion(
				tx,
				round,
				`依照民法典第二百七十八条（特别事项须四分之三以上同意）和“三分之二以上住户参与结果才成立”的规则重新计算，${changed.length} 项结论有变化。Recomputed under Civil Code art. 278 (special matters need three quarters) and the rule that a result stands only where two thirds of households took part: ${changed.length} verdict(s) changed.`,
				null,
				{ correction: 'law_by_default', changed },
			);
		}
	},
};

const migrations: DataMigration[] = [lawByDefault];

/** Runs the data migrations this database has not had yet, each once, in order. */
export async function runDataMigrations(db: Db): Promise<void> {
	const done = new Set(
		(await db.select({ name: dataMigrations.name }).from(dataMigrations)).map((r) => r.name),
	);
	for (const migration of migrations) {
		if (done.has(migration.name)) continue;
		await db.transaction(async (tx) => {
			await migration.run(tx);
			await tx.insert(dataMigrations).values({ name: migration.name });
		});
	}
}
