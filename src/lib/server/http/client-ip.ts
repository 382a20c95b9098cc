/**
 * The client's address for rate limits. Behind a trusted proxy, the right-most address the
 * proxy appended to X-Forwarded-For; otherwise the socket's address (never a header a client
 * could forge).
 */
export function clientIp(
	headers: Headers,
	socketAddress: string | undefined,
	trustProxy: boolean,
): string {
	if (trustProxy) {
		const forwarded = headers
			.get('x-forwarded-for')
			?.split(',')
			.map((part) => part.trim())
			.filter(Boolean);
		const last = forwarded?.at(-1);
		if (last && /^[0-9a-fA-F:.]{2,45}$/.test(last)) return last;
	}
	return socketAddress ?? 'unknown';
}
