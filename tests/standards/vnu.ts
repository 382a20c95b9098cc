import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/build-if-needed.ts';

export const VNU_JAR = path.join(
	projectRoot,
	'node_modules',
	'vnu-jar',
	'build',
	'dist',
	'vnu.jar',
);

/**
 * Messages that are not errors in our pages, each with the reason. Keep this list short: a new
 * entry needs a reason a reviewer would accept.
 */
export const knownExceptions: { message: RegExp; extract?: RegExp; reason: string }[] = [
	{
		message: /A “style” element in “body” must be the first child of its parent/,
		extract: /<style>astro-/,
		reason:
			'Astro writes its island bootstrap rule (astro-island{display:contents}) before the first ' +
			'island; browsers apply a body <style> everywhere, and the page cannot move it.',
	},
	{
		message: /^CSS: “line-clamp”: Property “line-clamp” doesn't exist/,
		reason: "The checker's CSS profile predates the unprefixed line-clamp (CSS Overflow 4).",
	},
];

export type VnuMessage = {
	page: string;
	line?: number | undefined;
	message: string;
	extract?: string | undefined;
};

/** True when a Java runtime answers `java -version`. */
export function hasJava(): boolean {
	const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
	return !result.error && result.status === 0;
}

/**
 * Runs the Nu HTML Checker once over every page (one JVM start for all) and returns its
 * errors, each named by the page's path. Warnings and info messages are not returned.
 */
export function validateHtml(pages: { path: string; html: string }[]): VnuMessage[] {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'gj-vnu-'));
	try {
		const files = pages.map((page, i) => {
			const file = path.join(dir, `${String(i).padStart(3, '0')}.html`);
			writeFileSync(file, page.html);
			return file;
		});
		const result = spawnSync(
			'java',
			[
				'-Xss4m',
				'-jar',
				VNU_JAR,
				'--errors-only',
				'--format',
				'json',
				'--exit-zero-always',
				...files,
			],
			{ encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
		);
		if (result.error) throw result.error;
		const report = JSON.parse(result.stderr || result.stdout || '{"messages":[]}') as {
			messages: {
				url?: string;
				type: string;
				subType?: string;
				message: string;
				lastLine?: number;
				extract?: string;
			}[];
		};
		return report.messages
			.filter((m) => m.type === 'error' || m.subType === 'fatal')
			.filter(
				(m) =>
					!knownExceptions.some(
						(known) =>
							known.message.test(m.message) &&
							(!known.extract || known.extract.test(m.extract ?? '')),
					),
			)
			.map((m) => {
				const index = Number(/(\d{3})\.html$/.exec(m.url ?? '')?.[1] ?? -1);
				return {
					page: pages[index]?.path ?? m.url ?? '?',
					line: m.lastLine,
					message: m.message,
					extract: m.extract?.slice(0, 160),
				};
			});
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
