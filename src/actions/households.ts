import { defineAction } from 'astro:actions';
import { getDb } from '../lib/server/db.ts';
import {
	bindHousehold,
	bindInput,
	bindWithPasswordInput,
	consentInput,
	issueCodesInput,
	issueHouseholdCodes,
	registerAndBind,
	revokeCodesInput,
	revokeHouseholdCodes,
	setConsentAuthorisation,
} from '../lib/server/households/index.ts';
import { setSessionCookie } from '../lib/server/http/index.ts';
import { getConfig } from '../lib/server/shared/index.ts';
import { run } from './run.ts';

export const households = {
	join: defineAction({
		accept: 'form',
		input: bindInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const db = await getDb();
				const result = await bindHousehold(db, ctx.locals.actor, input, { ip: ctx.locals.ip });
				return result;
			}),
	}),
	/** AUTH_MODE=password: a new resident creates an account with a password and binds at once. */
	registerAndBind: defineAction({
		accept: 'form',
		input: bindWithPasswordInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const result = await registerAndBind(await getDb(), input, {
					ip: ctx.locals.ip,
					sessionDays: getConfig().SESSION_DAYS,
				});
				setSessionCookie(ctx.cookies, result.token, result.expiresAt, ctx.locals.https);
				return { householdId: result.householdId };
			}),
	}),
	issueCodes: defineAction({
		accept: 'form',
		input: issueCodesInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				const scope =
					input.householdId !== undefined
						? { householdId: input.householdId }
						: input.buildingId !== undefined
							? { buildingId: input.buildingId }
							: { compoundId: input.compoundId! };
				const slips = await issueHouseholdCodes(await getDb(), ctx.locals.actor, {
					scope,
					relation: input.relation,
					maxMembers: input.maxMembers,
				});
				return { slips };
			}),
	}),
	revokeCodes: defineAction({
		accept: 'form',
		input: revokeCodesInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => ({
				revoked: await revokeHouseholdCodes(await getDb(), ctx.locals.actor, input.householdId),
			})),
	}),
	setConsent: defineAction({
		accept: 'form',
		input: consentInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await setConsentAuthorisation(await getDb(), ctx.locals.actor, {
					...input,
					authorised: input.authorised === 'yes',
				});
				return { ok: true };
			}),
	}),
};
