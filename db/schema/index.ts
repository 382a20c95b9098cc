export * from './org.ts';
export * from './people.ts';
export * from './projects.ts';
