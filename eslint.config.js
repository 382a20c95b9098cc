// @ts-check
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import astro from 'eslint-plugin-astro';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Each folder of src/lib/server is a module whose door is its index.ts (README, "Modules").
const serverModules = readdirSync(new URL('./src/lib/server', import.meta.url), {
	withFileTypes: true,
})
	.filter((entry) => entry.isDirectory())
	.map((entry) => entry.name);
const throughIndex = 'Import a module through its index.ts; export what you need from there.';

export default defineConfig(
	{ ignores: ['dist/', '.astro/', 'node_modules/', 'data/', 'db/migrations/', 'tests/.output/'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	...astro.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.node } },
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
			],
			'@typescript-eslint/consistent-type-imports': 'error',
		},
	},
	{
		// Ambient declarations (App.Locals) can only reference modules through import() types.
		files: ['**/*.d.ts'],
		rules: { '@typescript-eslint/consistent-type-imports': 'off' },
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: tseslint.parser } },
	},
	{
		// Pages, actions, components, layouts and middleware see a module only through its index.
		// start.ts, the process entry, loads modules lazily (after configuration and the build).
		files: ['src/**'],
		ignores: ['src/lib/server/**', 'src/start.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [{ regex: String.raw`lib/server/[^/]+/(?!index\.ts$)`, message: throughIndex }],
				},
			],
		},
	},
	{
		// A module imports its own files directly and another module only through its index.
		files: ['src/lib/server/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: String.raw`^(\.\./)+(${serverModules.join('|')})/(?!index\.ts$)`,
							message: throughIndex,
						},
					],
				},
			],
		},
	},
	{
		// Islands run in the browser: they never import server modules (rows, secrets, SQL).
		files: ['src/islands/**', 'src/lib/*.ts'],
		languageOptions: { globals: { ...globals.browser } },
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/lib/server/**', '**/db/**'],
							message: 'Islands receive DTOs; never import server code.',
						},
					],
				},
			],
		},
	},
);
