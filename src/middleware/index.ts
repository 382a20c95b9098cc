import { sequence } from 'astro:middleware';
import { actionBody } from './action-body.ts';
import { identify } from './identify.ts';
import { locale } from './locale.ts';
import { log } from './log.ts';
import { outage } from './outage.ts';
import { protect } from './protect.ts';
import { refuse } from './refuse.ts';
import { session } from './session.ts';

/**
 * Every request, in this order: who is asking and in which language (identify), one log line
 * (log), origin rule and security headers (protect), 503 while the database is away (outage),
 * bodies capped and unreadable action bodies refused (actionBody), the signed-in user (session),
 * input a page refused as a 4xx (refuse), then the page in its locale (locale). No step decides authorisation: handlers call the policy module themselves.
 */
export const onRequest = sequence(
	identify,
	log,
	protect,
	outage,
	actionBody,
	session,
	refuse,
	locale,
);
