import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default defineConfig({
	root,
	test: {
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/integration/global-setup.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000,
				},
			},
			{
				extends: true,
				test: {
					name: 'http',
					include: ['tests/http/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/http/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000,
					// Each file starts its own server; two at a time fit two cores.
					maxWorkers: 2,
				},
			},
			{
				extends: true,
				test: {
					name: 'security',
					include: ['tests/security/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/http/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 600_000,
				},
			},
			{
				extends: true,
				test: {
					name: 'standards',
					include: ['tests/standards/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/http/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 300_000,
				},
			},
		],
	},
});
