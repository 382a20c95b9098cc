/** The part of autocannon's programmatic API the bench uses (the package ships no types). */
declare module 'autocannon' {
	type Histogram = {
		average: number;
		mean: number;
		p50: number;
		p90: number;
		p99: number;
		max: number;
		total: number;
	};
	export type Options = {
		url: string;
		connections?: number;
		duration?: number;
		timeout?: number;
		headers?: Record<string, string>;
	};
	export type Result = {
		requests: Histogram;
		latency: Histogram;
		throughput: Histogram;
		duration: number;
		errors: number;
		timeouts: number;
		non2xx: number;
		statusCodeStats: Record<string, { count: number }>;
	};
	export default function autocannon(options: Options): Promise<Result>;
}
