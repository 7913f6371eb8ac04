// A real OpenID Connect provider for Harbour's sign-in tests: panva/oidc-provider (OpenID Certified), configured
// from a JSON file the tests write (tests/oidc_provider.py), listening on 127.0.0.1 only.
//
// Only the sign-in page is this file's own: a person types their email address and password (any password;
// the accounts are the file's) and ticks whether they used a second factor; the provider then records the
// authentication methods (`amr`: ["pwd"] or ["pwd", "mfa"]) in the ID token, as Entra ID and Google do.
// Consent is granted at once, as a school's administrator grants it for the whole tenant.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { URLSearchParams } from 'node:url';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts;

const provider = new Provider(config.issuer, {
  clients: config.clients.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    redirect_uris: c.redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  jwks: config.jwks,
  cookies: { keys: ['harbour-tests-only-cookie-key'] },
  claims: { openid: ['sub', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: account.sub || id, email: account.email, email_verified: true, name: account.name };
      },
    };
  },
});

const page = (uid, error = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to the test school account</title></head>
<body><main><h1>Sign in to your school account</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label for="login">Email address</label> <input id="login" name="login" type="email" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
<label><input name="mfa" type="checkbox" value="1"> I approved the sign-in on my phone</label>
<button type="submit">Sign in</button>
</form></main></body></html>`;

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const callback = provider.callback();

const server = http.createServer(async (req, res) => {
  const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page(details.uid));
    }
    const form = await readBody(req);
    const accountId = (form.get('login') || '').trim();
    if (!accounts[accountId]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page(details.uid, 'No such account at this school.'));
    }
    const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    const amr = form.get('mfa') ? ['pwd', 'mfa'] : ['pwd'];
    return await provider.interactionFinished(req, res, { login: { accountId, amr }, consent: { grantId } },
      { mergeWithLastSubmission: false });
  } catch (err) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    return res.end(`interaction failed: ${err.message}`);
  }
});

server.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`READY ${config.issuer}\n`);
});
