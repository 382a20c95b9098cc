import autocannon from 'autocannon';

export type LoadSettings = { seconds: number; warmupSeconds: number; connections: number };
export type LoadResult = { requestsPerSecond: number; p50: number; p99: number; requests: number };

/** Bench settings from BENCH_SECONDS, BENCH_WARMUP_SECONDS and BENCH_CONNECTIONS. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): LoadSettings {
	const positive = (name: string, fallback: number) => {
		const value = Number(env[name] ?? fallback);
		if (!Number.isFinite(value) || value <= 0)
			throw new Error(`bench: ${name} must be a positive number`);
		return value;
	};
	return {
		seconds: positive('BENCH_SECONDS', 5),
		warmupSeconds: positive('BENCH_WARMUP_SECONDS', 2),
		connections: Math.round(positive('BENCH_CONNECTIONS', 20)),
	};
}

/**
 * Loads `url` for the warm-up (discarded), then for the measured duration. Throws if any
 * request failed or answered other than 2xx: a fast error page is not a result.
 */
export async function measureLoad(
	url: string,
	settings: LoadSettings,
	headers: Record<string, string> = {},
): Promise<LoadResult> {
	const options = { url, connections: settings.connections, timeout: 10, headers };
	await autocannon({ ...options, duration: settings.warmupSeconds });
	const result = await autocannon({ ...options, duration: settings.seconds });
	if (result.errors > 0 || result.non2xx > 0) {
		const codes = JSON.stringify(result.statusCodeStats);
		throw new Error(
			`bench: ${url} had ${result.errors} errors and ${result.non2xx} non-2xx answers ${codes}`,
		);
	}
	return {
		requestsPerSecond: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		requests: result.requests.total,
	};
}
