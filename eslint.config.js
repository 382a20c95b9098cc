// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import astro from 'eslint-plugin-astro';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
