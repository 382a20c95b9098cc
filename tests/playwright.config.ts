import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// A free port chosen once by the runner (workers inherit it), so a stray server never collides.
process.env.E2E_PORT ??= spawnSync(
	process.execPath,
	[
		'-e',
		"const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
	],
	{ encoding: 'utf8' },
).stdout.trim();
const port = Number(process.env.E2E_PORT);
// The config is loaded by the runner and again by every worker: only the runner (which starts
// the server) picks a fresh database folder; workers inherit its path through the environment.
process.env.GJ_E2E_PGLITE_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'gj-e2e-'));
const pgliteDir = path.join(process.env.GJ_E2E_PGLITE_DIR, 'pglite');

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const launchOptions = {
	...(existsSync(chromiumPath) ? { executablePath: chromiumPath } : {}),
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run',
		'--disable-quic',
	],
};

export default defineConfig({
	testDir: './e2e',
	outputDir: './.output/playwright',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	reporter: [['list'], ['json', { outputFile: path.join(root, 'tests', '.output', 'e2e.json') }]],
	use: {
		baseURL: process.env.E2E_BASE_URL ?? `http://127.0.0.1:${port}`,
		launchOptions,
		trace: 'off',
		screenshot: 'only-on-failure',
	},
	projects: [
		{
			name: 'phone',
			use: {
				...devices['Pixel 5'],
				browserName: 'chromium',
				viewport: { width: 360, height: 740 },
				locale: 'zh-CN',
			},
		},
		{
			name: 'desktop',
			use: { ...devices['Desktop Chrome'], browserName: 'chromium', locale: 'zh-CN' },
		},
	],
	webServer: process.env.E2E_BASE_URL
		? []
		: {
				command: 'node src/start.ts',
				cwd: root,
				url: `http://127.0.0.1:${port}/readyz`,
				timeout: 120_000,
				reuseExistingServer: false,
				stdout: 'ignore',
				stderr: 'pipe',
				env: {
					PORT: String(port),
					HOST: '127.0.0.1',
					PGLITE_DIR: pgliteDir,
					LOG_LEVEL: 'warn',
					NODE_ENV: 'test',
					SMS_SENDER: 'dev',
					DEMO_STAFF_PASSWORD: 'demo-staff-password',
					SITE_URL: `http://127.0.0.1:${port}`,
				},
			},
});
