import { expect } from 'vitest';

export const STAFF_PASSWORD = 'demo-staff-password';

type Form = Record<string, string> | URLSearchParams | FormData;

/**
 * A cookie-keeping client for form posts against the built server (urlencoded or multipart).
 * The third argument of `post` is the Origin to send (null: none), or extra headers.
 */
export function client(base: string) {
	const jar = new Map<string, string>();
	const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
	const remember = (response: Response) => {
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const [name, ...rest] = pair!.split('=');
			const expires = /Expires=([^;]+)/i.exec(line)?.[1];
			const expired = expires !== undefined && Date.parse(expires) <= Date.now();
			if (/Max-Age=0/i.test(line) || expired || rest.join('=') === '') jar.delete(name!);
			else jar.set(name!, rest.join('='));
		}
		return response;
	};
	return {
		jar,
		async get(p: string) {
			const send = () => fetch(base + p, { redirect: 'manual', headers: { cookie: cookie() } });
			return remember(await send().catch((error: unknown) => retryStale(error, send)));
		},
		async post(p: string, form: Form, extra: string | null | Record<string, string> = base) {
			const multipart = form instanceof FormData;
			const headers: Record<string, string> =
				typeof extra === 'object' && extra !== null
					? { origin: base, ...extra }
					: extra
						? { origin: extra }
						: {};
			return remember(
				await fetch(base + p, {
					method: 'POST',
					redirect: 'manual',
					body: multipart || form instanceof URLSearchParams ? form : new URLSearchParams(form),
					headers: {
						cookie: cookie(),
						...(multipart ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
						...headers,
					},
				}),
			);
		},
	};
}

export type Client = ReturnType<typeof client>;

/**
 * A kept-alive socket that the server closed while the test was busy (e.g. the Nu checker
 * running synchronously for longer than the server's keep-alive timeout) fails the next fetch at
 * once with "other side closed": a GET is safe to send again, on a new socket.
 */
function retryStale(error: unknown, send: () => Promise<Response>): Promise<Response> {
	const code = (error as { cause?: { code?: string } }).cause?.code;
	if (code !== 'UND_ERR_SOCKET') throw error;
	return send();
}

/** Signs a demo staff member in (the server runs with DEMO_STAFF_PASSWORD). */
export async function signInStaff(base: string, username: string): Promise<Client> {
	const c = client(base);
	const response = await c.post('/staff/login?_action=auth.staffSignIn', {
		username,
		password: STAFF_PASSWORD,
	});
	expect(response.status).toBe(303);
	return c;
}

/** Signs a resident in by phone and the code from the development outbox. */
export async function signInResident(base: string, phone: string): Promise<Client> {
	const c = client(base);
	expect((await c.post('/login?_action=auth.requestCode', { phone })).status).toBe(303);
	const outbox = await (await fetch(`${base}/dev/outbox`)).text();
	const code = new RegExp(`data-phone="\\+86${phone}"[\\s\\S]*?<p>[^<]*?(\\d{6})`).exec(
		outbox,
	)![1]!;
	expect((await c.post('/login/verify?_action=auth.verifyCode', { phone, code })).status).toBe(303);
	return c;
}
