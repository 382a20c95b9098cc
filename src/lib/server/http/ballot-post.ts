import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../../../../db/client.ts';
import { localizePath, splitLocale, type Locale } from '../../../i18n/index.ts';
import { extensionThreshold, isSessionToken, sessionIdFromToken } from '../auth/secrets.ts';
import { ballotBatcher } from '../ballots/batch.ts';
import { recordedOutcome, sessionBallotRecord } from '../ballots/commands/cast.ts';
import { loadRoundCached, loadScopeHouseholdCached } from '../ballots/load.ts';
import { castBallotInput } from '../ballots/schemas.ts';
import { logger } from '../shared/logger.ts';
import { header, isHttps, requestId } from './node-request.ts';
import { parseCookies } from './page-cache.ts';
import { FALLBACK_CSP, isSameOrigin, originOf, securityHeaders } from './security.ts';
import { databaseSeemsDown } from './unavailable.ts';

/**
 * A resident's ballot, answered before Astro (src/start.ts, fast-path.ts): the POST the ballot
 * page's form sends (`/rounds/:id/ballot/:household?_action=ballots.cast`) gets the answer the
 * page gives — 303 to `?saved=<revision>` — in one round trip: the round and the household as
 * frozen in its scope are cached (both immutable once the round opened), and the ballot goes
 * through the batcher with the session's id (ballots/batch.ts: one statement with the ballots
 * that arrive meanwhile, `gj_record_ballots`, migrations 0025 and 0026), which checks the
 * session, its user and the membership in the ballot's own transaction. Same rules as
 * `castBallot`: a live resident session not due for extension, a bound member (an owner or one
 * an owner authorised in a consent round), the household in scope, a complete ballot, the round
 * open by the database clock.
 *
 * Only the plain case is answered here. Anything else — another origin, no session or one lucia
 * would extend, not a member, a form that does not validate, a closed round, any error — goes to
 * Astro with the body read here (`req.body`, which the Node adapter reads instead of the
 * stream), and the page answers it as before: the translated error with the form kept. Nothing
 * is written before the answer is decided, so nothing is done twice.
 */
export type BallotPostOptions = { db: Db; trustProxy: boolean; sessionDays: number };

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

type Target = { locale: Locale; roundId: number; householdId: number };

const PATH = /^\/rounds\/(\d{1,9})\/ballot\/(\d{1,9})$/;
const ACTION_QUERY = '?_action=ballots.cast';
/** A full ballot with a 2,000-character comment is far below this; bigger ones go to Astro. */
const MAX_BODY = 64 * 1024;
const FORM_KEY = /^(?:roundId|householdId|overall|comment|choices\.\d{1,10}|options\.\d{1,10})$/;

/** The ballot POST this module answers, or null (everything else is Astro's). */
export function ballotPostTarget(
	method: string | undefined,
	rawUrl: string | undefined,
): Target | null {
	if (method !== 'POST' || !rawUrl) return null;
	const at = rawUrl.indexOf('?');
	if (at < 0 || rawUrl.slice(at) !== ACTION_QUERY) return null;
	const { locale, path } = splitLocale(rawUrl.slice(0, at));
	const match = PATH.exec(path);
	if (!match) return null;
	return { locale, roundId: Number(match[1]), householdId: Number(match[2]) };
}

/**
 * The form as Astro's action would read it (`choices.<id>` and `options.<id>` as objects,
 * empty optional fields absent), or null when it has a field twice or one the form never sends:
 * those are left to Astro so the two paths can never read one body differently.
 */
export function ballotForm(body: string): Record<string, unknown> | null {
	const params = new URLSearchParams(body);
	const seen = new Set<string>();
	const choices: Record<string, string> = {};
	const options: Record<string, string> = {};
	for (const [key, value] of params) {
		if (seen.has(key) || !FORM_KEY.test(key)) return null;
		seen.add(key);
		if (key.startsWith('choices.')) choices[key.slice(8)] = value;
		else if (key.startsWith('options.')) options[key.slice(8)] = value;
	}
	return {
		roundId: params.get('roundId'),
		householdId: params.get('householdId'),
		choices,
		options,
		overall: params.get('overall') || undefined,
		comment: params.get('comment') ?? '',
	};
}

/**
 * Handles the request if it is a ballot POST it can answer; returns false when it is not one
 * (the caller goes on), true when it took it (answered, or handed to Astro itself).
 */
export function handleBallotPost(
	req: IncomingMessage,
	res: ServerResponse,
	options: BallotPostOptions,
	astro: Listener,
): boolean {
	const target = ballotPostTarget(req.method, req.url);
	if (!target || !plainRequest(req, options.trustProxy)) return false;
	const token = parseCookies(header(req, 'cookie')).get('gj_session');
	if (!isSessionToken(token)) return false;
	const started = performance.now();
	const body = readBody(req);
	// Handled here at once: a client hanging up while the database answers must not be an
	// unhandled rejection (it is answered below, or not at all).
	body.catch(() => {});
	void cast(options, target, token, body)
		.catch((error: unknown) => {
			// A client that hung up needs no answer; anything else, Astro answers (a database
			// outage becomes its 503 with Retry-After).
			if (error instanceof ClientGone) logger.debug({ path: req.url }, 'client closed the request');
			else logger.warn({ err: error, path: req.url }, 'ballot fast path stepped aside');
			return null;
		})
		.then(async (revision) => {
			if (res.headersSent) return;
			if (revision !== null) {
				redirect(req, res, target, revision, options.trustProxy);
				logger.debug(
					{
						method: 'POST',
						path: req.url,
						status: 303,
						ms: Math.round(performance.now() - started),
					},
					'request',
				);
				return;
			}
			const buffer = await body.catch(() => null);
			if (buffer === null) {
				// The client hung up or sent more than it announced: nobody to answer.
				res.writeHead(400).end();
				return;
			}
			(req as IncomingMessage & { body?: Buffer }).body = buffer;
			astro(req, res);
		});
	return true;
}

/** A same-origin urlencoded form of a known length, while the database answers. */
function plainRequest(req: IncomingMessage, trustProxy: boolean): boolean {
	const type = header(req, 'content-type') ?? '';
	if (!type.startsWith('application/x-www-form-urlencoded')) return false;
	const length = Number(header(req, 'content-length'));
	if (!Number.isSafeInteger(length) || length <= 0 || length > MAX_BODY) return false;
	if (databaseSeemsDown()) return false;
	const host = header(req, 'host');
	if (!host) return false;
	let url: URL;
	try {
		url = new URL(`${isHttps(req, false) ? 'https' : 'http'}://${host}/`);
	} catch {
		return false;
	}
	return isSameOrigin(
		header(req, 'origin') ?? null,
		originOf(url, (n) => header(req, n), trustProxy),
	);
}

/** The client hung up, or sent more than it announced. */
class ClientGone extends Error {
	override name = 'ClientGone';
}

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY) {
				reject(new ClientGone('body larger than announced'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.once('end', () => resolve(Buffer.concat(chunks)));
		req.once('error', () => reject(new ClientGone('request error')));
		req.once('aborted', () => reject(new ClientGone('aborted')));
	});
}

/** The revision recorded, or null when Astro must answer (see the module comment). */
async function cast(
	options: BallotPostOptions,
	target: Target,
	token: string,
	body: Promise<Buffer>,
): Promise<number | null> {
	const { db } = options;
	const [round, household] = await Promise.all([
		loadRoundCached(db, target.roundId),
		loadScopeHouseholdCached(db, target.roundId, target.householdId),
	]);
	if (!round?.openedAt || !household) return null;
	const form = ballotForm((await body).toString('utf8'));
	const parsed = form ? castBallotInput.safeParse(form) : null;
	if (!parsed?.success) return null;
	const input = parsed.data;
	if (input.roundId !== target.roundId || input.householdId !== target.householdId) return null;
	let record;
	try {
		record = sessionBallotRecord(round, household, input, {
			id: sessionIdFromToken(token),
			until: extensionThreshold(options.sessionDays),
		});
	} catch {
		return null;
	}
	// The session, its user and the membership are checked with the ballot, in its transaction.
	const row = await ballotBatcher(db).record(record);
	if (row.status !== 'ok') return null;
	return recordedOutcome(row).revision;
}

/** The page's own answer to a saved ballot, with the headers the middleware gives a redirect. */
function redirect(
	req: IncomingMessage,
	res: ServerResponse,
	target: Target,
	revision: number,
	trustProxy: boolean,
) {
	const self = localizePath(
		target.locale,
		`/rounds/${target.roundId}/ballot/${target.householdId}`,
	);
	const headers: Record<string, string> = { location: `${self}?saved=${revision}` };
	for (const [name, value] of Object.entries(securityHeaders({ https: isHttps(req, trustProxy) })))
		headers[name.toLowerCase()] = value;
	headers['content-security-policy'] = FALLBACK_CSP;
	headers['content-length'] = '0';
	headers['x-request-id'] = requestId(req);
	res.writeHead(303, headers);
	res.end();
}
