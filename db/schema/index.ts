export * from './org.ts';
export * from './people.ts';
export * from './projects.ts';
export * from './security.ts';
export * from './audit.ts';
export * from './jobs.ts';
