import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * nginx (Debian's package) in front of app instances, as in production: round robin over
 * kept-alive upstream connections, X-Forwarded-* set for TRUST_PROXY. Responses come compressed
 * from the instances (src/start.ts, by the browser's Accept-Encoding, which nginx forwards) and
 * pass through as they are. Runs in the foreground as
 * a child process with its own prefix folder (the package's own service is never used).
 */
export type Proxy = { url: string; pid: () => number[]; stop(): Promise<void> };

/** Debian's nginx (`apt-get install nginx`; CI installs it, see .ci/run). */
export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

export function hasNginx(): boolean {
	return existsSync(NGINX);
}

/** Starts nginx on `port` balancing over `upstreams` (base URLs); resolves once it answers. */
export async function startProxy(port: number, upstreams: string[]): Promise<Proxy> {
	const prefix = mkdtempSync(path.join(os.tmpdir(), 'gj-nginx-'));
	for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
		mkdirSync(path.join(prefix, dir));
	const servers = upstreams.map((u) => `server ${new URL(u).host} max_fails=0;`).join('\n\t\t');
	const conf = `
worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path ${prefix}/body;
	proxy_temp_path ${prefix}/proxy;
	fastcgi_temp_path ${prefix}/fastcgi;
	uwsgi_temp_path ${prefix}/uwsgi;
	scgi_temp_path ${prefix}/scgi;
	client_max_body_size 50m;
	upstream gongjian {
		${servers}
		keepalive 64;
	}
	server {
		listen 127.0.0.1:${port};
		location / {
			proxy_pass http://gongjian;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $http_host;
			proxy_set_header X-Forwarded-Host $http_host;
			proxy_set_header X-Forwarded-Proto $scheme;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			proxy_buffering on;
			# The Content-Security-Policy header lists a hash per inline style and script (about
			# 6 KB): more than nginx's default 4 KB header buffer, which answers 502 otherwise.
			proxy_buffer_size 16k;
			proxy_buffers 8 16k;
		}
	}
}
`;
	const file = path.join(prefix, 'nginx.conf');
	writeFileSync(file, conf);
	const child: ChildProcess = spawn(NGINX, ['-p', prefix, '-c', file], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stderr?.on('data', (c) => (output += c));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const url = `http://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		if (child.exitCode !== null) throw new Error(`nginx exited: ${output}`);
		const ok = await fetch(`${url}/healthz`)
			.then((r) => r.ok)
			.catch(() => false);
		if (ok) break;
		if (i > 100) throw new Error(`nginx did not answer: ${output}`);
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		url,
		pid: () => {
			const list = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout;
			return [child.pid!, ...list.split('\n').filter(Boolean).map(Number)];
		},
		async stop() {
			if (child.exitCode === null) child.kill('SIGQUIT');
			await exited;
			rmSync(prefix, { recursive: true, force: true });
		},
	};
}
