import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../db/client.ts';
import { requestLoginCode, verifyLoginCode } from '../../src/lib/server/auth/commands.ts';
import type { SmsSender } from '../../src/lib/server/auth/sms.ts';
import { imagePipeline } from '../../src/lib/server/images/store.ts';
import { buildPhoto12mp } from '../factories/images.ts';

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

/**
 * Sign-in code verification measured in-process on the bench database (rate limits make an
 * HTTP load of one endpoint meaningless): N successful verifications, 10 at a time, against a
 * bare `select 1` through the same pool.
 */
export async function benchCodeVerification(databaseUrl: string, count = 300): Promise<string> {
	const handle = await openDatabase({ databaseUrl, poolMax: 10 });
	try {
		const codes = new Map<string, string>();
		const sender: SmsSender = { send: async (_db, phone, body) => void codes.set(phone, body) };
		const phones = Array.from(
			{ length: count },
			(_, i) => `+86136${String(Date.now() % 1e4).padStart(4, '0')}${String(i).padStart(4, '0')}`,
		);
		for (const [i, phone] of phones.entries()) {
			await requestLoginCode(
				handle.db,
				{ phone },
				{ ip: `10.200.${i >> 8}.${i & 255}`, sender, locale: 'zh-CN', message: (c) => c },
			);
		}
		const run = async (work: (i: number) => Promise<unknown>) => {
			const times: number[] = [];
			const started = performance.now();
			let next = 0;
			await Promise.all(
				Array.from({ length: 10 }, async () => {
					while (next < count) {
						const i = next++;
						const t0 = performance.now();
						await work(i);
						times.push(performance.now() - t0);
					}
				}),
			);
			return {
				perSecond: count / ((performance.now() - started) / 1000),
				p50: percentile(times, 50),
				p99: percentile(times, 99),
			};
		};
		const verify = await run((i) =>
			verifyLoginCode(
				handle.db,
				{ phone: phones[i]!, code: codes.get(phones[i]!)! },
				{ ip: `10.201.${i >> 8}.${i & 255}`, sessionDays: 30 },
			),
		);
		const bare = await run(() => handle.db.execute(sql`select 1`));
		const row = (name: string, r: typeof verify) =>
			`| ${name} | ${Math.round(r.perSecond)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.perSecond / bare.perSecond).toFixed(2)} |`;
		return [
			'## Sign-in code verification (in-process, 10 concurrent, successful codes)',
			'',
			'| operation | ops/s | p50 ms | p99 ms | ratio vs bare query |',
			'| --- | ---: | ---: | ---: | ---: |',
			row('bare postgres.js `select 1`', bare),
			row('verifyLoginCode (rate limits, hash check, consume, session, audit)', verify),
		].join('\n');
	} finally {
		await handle.close();
	}
}

/** The image pipeline on a 12 MP phone photo: the acknowledged phase and the AVIF job, with RSS. */
export async function benchImagePipeline(): Promise<string> {
	const photo = new Uint8Array(await buildPhoto12mp());
	const pipeline = imagePipeline();
	const rows: string[] = [];
	for (let i = 0; i < 3; i++) {
		const rss0 = process.memoryUsage().rss;
		let peak = rss0;
		const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
		const t0 = performance.now();
		await pipeline.processUpload(photo);
		const t1 = performance.now();
		await pipeline.renderAvifVariants(photo);
		const t2 = performance.now();
		clearInterval(timer);
		rows.push(
			`| run ${i + 1} | ${((t1 - t0) / 1000).toFixed(2)} | ${((t2 - t1) / 1000).toFixed(2)} | +${Math.round((peak - rss0) / 1048576)} MB |`,
		);
	}
	return [
		`## Image pipeline, 12 MP photo (${Math.round(photo.byteLength / 1024)} KB JPEG; targets: acknowledged < 1.5 s, AVIF < 5 s)`,
		'',
		'| run | JPEG + WebP + placeholder (s) | AVIF variants (s) | peak RSS increase |',
		'| --- | ---: | ---: | ---: |',
		...rows,
	].join('\n');
}
