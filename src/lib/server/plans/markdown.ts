import MarkdownIt from 'markdown-it';

/**
 * Plan text is Markdown written by officers and shown to everyone: raw HTML is escaped (never
 * rendered), images are off (CSP would block remote ones, and renderings go through the image
 * pipeline), links only to http(s)/mailto and marked rel="nofollow ugc noopener".
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });
md.disable(['image']);
md.validateLink = (url) => /^(https?:|mailto:)/i.test(url.trim());

const defaultLinkOpen =
	md.renderer.rules.link_open ??
	((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
	tokens[idx]!.attrSet('rel', 'nofollow ugc noopener');
	return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
	return md.render(source);
}
