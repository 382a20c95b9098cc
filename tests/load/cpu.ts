import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds per component during a run (Linux /proc): where the two cores went tells
 * which part is the bottleneck. Clock ticks are 100 per second on Linux.
 */
const TICKS = 100;

function processTicks(pid: number): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return Number(fields[11]) + Number(fields[12]); // utime + stime
	} catch {
		return 0;
	}
}

/** Every PostgreSQL server process on the machine. */
export function postgresPids(): number[] {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map(Number)
		.filter((pid) => {
			try {
				return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
			} catch {
				return false;
			}
		});
}

function machineTicks(): { busy: number; total: number } {
	const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
	const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
	const total = cpu.reduce((a, b) => a + b, 0);
	return { busy: total - idle, total };
}

export type CpuGroups = Record<string, () => number[]>;

/** Starts measuring; `stop()` returns CPU seconds per group, this process and machine busy %. */
export function measureCpu(groups: CpuGroups) {
	const start = new Map<string, Map<number, number>>();
	for (const [name, pids] of Object.entries(groups))
		start.set(name, new Map(pids().map((pid) => [pid, processTicks(pid)])));
	const self = process.cpuUsage();
	const machine = machineTicks();
	return {
		stop(): { groups: Record<string, number>; driver: number; machineBusy: number } {
			const result: Record<string, number> = {};
			for (const [name, pids] of Object.entries(groups)) {
				let ticks = 0;
				for (const pid of pids()) ticks += processTicks(pid) - (start.get(name)!.get(pid) ?? 0);
				result[name] = ticks / TICKS;
			}
			const used = process.cpuUsage(self);
			const now = machineTicks();
			return {
				groups: result,
				driver: (used.user + used.system) / 1e6,
				machineBusy: (now.busy - machine.busy) / Math.max(1, now.total - machine.total),
			};
		},
	};
}
