// The masto.js journey: drives a running Rounds server with the npm package
// masto (a Mastodon client nobody here wrote) through register an app,
// obtain a token, post, follow, read the home timeline, reply, favourite,
// read notifications and stream. CI runs it against the real binary (see
// .ci/run); by hand:
//
//   cd tools/masto-journey && npm ci --no-audit --no-fund
//   ROUNDS_URL=http://127.0.0.1:8080 \
//   ROUNDS_PATIENT_USERNAME=… ROUNDS_PATIENT_PASSWORD=… \
//   ROUNDS_CLINICIAN_USERNAME=… ROUNDS_CLINICIAN_TOKEN=… node journey.mjs
//
// The patient (no two-factor) obtains a token through the OAuth
// authorization-code flow with PKCE and the out-of-band redirect: the human
// part (sign-in and consent) is done with plain fetch and a cookie jar, the
// rest with masto. The clinician, whose sign-in needs a second factor,
// comes with a token from `rounds admin token` (ROUNDS_CLINICIAN_TOKEN); a
// clinician rather than a second patient because patients' accounts take
// follow requests. The patient follows the clinician and reads, replies and
// favourites; the clinician reads the notifications; both stream over the
// WebSocket.
//
// One line per step; the first failed expectation stops the journey with a
// non-zero exit. The last line is "masto.js journey: N passed, M failed".

import { createHash, randomBytes } from "node:crypto";
import { createOAuthAPIClient, createRestAPIClient, createStreamingAPIClient } from "masto";

const OOB = "urn:ietf:wg:oauth:2.0:oob";
const SCOPES = "read write follow";
const STREAM_WAIT_MS = 5000;
const SUBSCRIBE_SETTLE_MS = 300;
const TOTAL_WAIT_MS = 45000;

function env(name) {
  const v = process.env[name];
  if (!v) {
    console.log(`masto.js journey: set ${name}`);
    process.exit(2);
  }
  return v;
}

const baseURL = env("ROUNDS_URL").replace(/\/+$/, "");
const patient = { username: env("ROUNDS_PATIENT_USERNAME"), password: env("ROUNDS_PATIENT_PASSWORD") };
const clinician = { username: env("ROUNDS_CLINICIAN_USERNAME"), token: env("ROUNDS_CLINICIAN_TOKEN") };

// ---- reporting ---------------------------------------------------------

let passed = 0;
const cleanups = [];

class Expectation extends Error {}

function expect(cond, what, got) {
  if (!cond) {
    throw new Expectation(got === undefined ? what : `${what}; got ${show(got)}`);
  }
}

function show(v) {
  try {
    const s = typeof v === "string" ? v : JSON.stringify(v);
    return s.length > 600 ? s.slice(0, 600) + "…" : s;
  } catch {
    return String(v);
  }
}

// describeError spells out what masto threw: for an HTTP error the status,
// the server's message and the response body it parsed.
function describeError(err) {
  if (err instanceof Expectation) return err.message;
  const parts = [`${err?.name ?? "Error"}: ${err?.message ?? err}`];
  if (err?.statusCode) parts.push(`HTTP ${err.statusCode}`);
  if (err?.description) parts.push(`description ${show(err.description)}`);
  if (err?.details) parts.push(`details ${show(err.details)}`);
  if (err?.additionalProperties && Object.keys(err.additionalProperties).length) {
    parts.push(`body ${show(err.additionalProperties)}`);
  }
  if (err?.cause && !(err.cause instanceof Response)) parts.push(`cause ${err.cause?.message ?? err.cause}`);
  return parts.join("; ");
}

async function finish(code) {
  for (const c of cleanups.reverse()) {
    try {
      c();
    } catch {
      // best effort
    }
  }
  console.log(`masto.js journey: ${passed} passed, ${code === 0 ? 0 : 1} failed`);
  process.exit(code);
}

async function step(name, fn) {
  try {
    const note = await fn();
    passed++;
    console.log(`ok   ${String(passed).padStart(2)}  ${name}${note ? ` (${note})` : ""}`);
  } catch (err) {
    console.log(`FAIL ${String(passed + 1).padStart(2)}  ${name}: ${describeError(err)}`);
    await finish(1);
  }
}

const overall = setTimeout(() => {
  console.log(`FAIL the journey did not finish within ${TOTAL_WAIT_MS / 1000} s`);
  finish(1);
}, TOTAL_WAIT_MS);
overall.unref();

// ---- a browser for the human part of OAuth -------------------------------

// Browser is fetch with a cookie jar kept by hand, following redirects
// itself, and sending the headers a same-origin form post carries (the
// server checks them, as Go's CrossOriginProtection does).
class Browser {
  jar = new Map();

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  remember(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.trim().split("=");
        return (k.toLowerCase() === "max-age" && Number(v) <= 0) ||
          (k.toLowerCase() === "expires" && Date.parse(v) < Date.now());
      });
      if (expired || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(method, path, form) {
    const url = new URL(path, baseURL);
    const headers = { Accept: "text/html" };
    if (this.jar.size) headers.Cookie = this.cookieHeader();
    let body;
    if (form) {
      body = new URLSearchParams(form).toString();
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      headers.Origin = baseURL;
      headers["Sec-Fetch-Site"] = "same-origin";
    }
    const res = await fetch(url, { method, headers, body, redirect: "manual" });
    this.remember(res);
    return { status: res.status, location: res.headers.get("location"), url: url.href, text: await res.text() };
  }

  // get follows redirects the way a browser does, up to a few hops.
  async get(path) {
    let res = await this.request("GET", path);
    for (let hops = 0; hops < 5 && res.status >= 300 && res.status < 400 && res.location; hops++) {
      const next = new URL(res.location, res.url);
      expect(next.origin === new URL(baseURL).origin, `GET ${path} redirected off the server`, res.location);
      res = await this.request("GET", next.pathname + next.search);
    }
    return res;
  }

  async post(path, form) {
    return this.request("POST", path, form);
  }
}

function decodeEntities(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

// summary names an HTML page by its title and the errors it shows.
function summary(html) {
  const strip = (t) => decodeEntities(t.replace(/<[^>]+>/g, "")).replace(/\s+/g, " ").trim();
  const title = html.match(/<title>([^<]*)<\/title>/)?.[1];
  const errors = [...html.matchAll(/<p class="error"[^>]*>([\s\S]*?)<\/p>/g)].map((m) => strip(m[1]));
  if (!title && !errors.length) return strip(html).slice(0, 300);
  return `page "${title ? strip(title) : "?"}"${errors.length ? ` saying ${show(errors)}` : ""}`;
}

function formFields(html, action) {
  const start = html.indexOf(`action="${action}"`);
  expect(start >= 0, `no form posting to ${action} on the page`, summary(html));
  const form = html.slice(start, html.indexOf("</form>", start));
  const fields = {};
  for (const m of form.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) {
    fields[m[1]] = decodeEntities(m[2]);
  }
  return fields;
}

// authorize signs the person in and answers the consent page, returning
// the out-of-band code the page shows.
async function authorize(person, app, challenge) {
  const browser = new Browser();
  const query = new URLSearchParams({
    response_type: "code", client_id: app.clientId, redirect_uri: OOB, scope: SCOPES,
    code_challenge: challenge, code_challenge_method: "S256",
  });
  const authorizePath = `/oauth/authorize?${query}`;
  // Signed out, the consent page sends the person to sign in first.
  let page = await browser.get(authorizePath);
  expect(page.status === 200 && new URL(page.url).pathname === "/signin",
    `GET ${authorizePath} signed out should lead to the sign-in page`, `${page.status} at ${page.url}`);
  const signin = { ...formFields(page.text, "/signin"), username: person.username, password: person.password };
  const signedIn = await browser.post("/signin", signin);
  expect(signedIn.status === 303, `POST /signin as ${person.username} should answer 303`,
    `${signedIn.status}, ${summary(signedIn.text)}`);
  expect(!/\/signin\/2fa|\/settings\/2fa/.test(signedIn.location ?? ""), `${person.username} needs a second factor; the journey signs in an account without one`, signedIn.location);
  page = await browser.get(signedIn.location || authorizePath);
  if (new URL(page.url).pathname !== "/oauth/authorize") page = await browser.get(authorizePath);
  expect(page.status === 200 && page.text.includes(`Allow ${app.name}`), "the consent page should name the app",
    `${page.status} at ${page.url}, ${summary(page.text)}`);
  const answer = await browser.post("/oauth/authorize", { ...formFields(page.text, "/oauth/authorize"), decision: "authorize" });
  expect(answer.status === 200, "POST /oauth/authorize with the out-of-band redirect should show the code",
    `${answer.status} ${answer.location ?? ""} ${summary(answer.text)}`);
  const m = answer.text.match(/id="oauth-code" value="([^"]+)"/);
  expect(m, "no authorization code on the page", summary(answer.text));
  return decodeEntities(m[1]);
}

// token obtains a user token for person through the app: consent, then
// masto's OAuth client at /oauth/token.
async function oauthToken(person, app) {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const code = await authorize(person, app, challenge);
  const oauth = createOAuthAPIClient({ url: baseURL });
  const token = await oauth.token.create({
    grantType: "authorization_code", clientId: app.clientId, clientSecret: app.clientSecret,
    redirectUri: OOB, code, scope: SCOPES, codeVerifier: verifier,
  });
  expect(token.accessToken && token.tokenType === "Bearer", "token response", token);
  expect(token.scope === SCOPES, `token scope should be "${SCOPES}"`, token.scope);
  return token.accessToken;
}

// ---- streaming -------------------------------------------------------

// Stream reads events from one masto subscription into a queue, so that a
// step can trigger an action and then wait for its event.
class Stream {
  constructor(client, subscription) {
    this.client = client;
    this.subscription = subscription;
    this.events = [];
    this.waiters = [];
    this.error = null;
    this.pump();
  }

  async pump() {
    try {
      for await (const e of this.subscription) {
        this.events.push(e);
        this.wake();
      }
    } catch (err) {
      this.error = err;
      this.wake();
    }
  }

  wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  // next waits for the first event that matches, up to STREAM_WAIT_MS.
  async next(what, match) {
    const deadline = Date.now() + STREAM_WAIT_MS;
    for (;;) {
      const i = this.events.findIndex(match);
      if (i >= 0) return this.events.splice(i, 1)[0];
      if (this.error) throw new Expectation(`the stream failed while waiting for ${what}: ${describeError(this.error)}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Expectation(`no ${what} within ${STREAM_WAIT_MS / 1000} s; events seen: ` +
          show(this.events.map((e) => `${e.event}${e.payload?.type ? ":" + e.payload.type : ""}`)));
      }
      await new Promise((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close() {
    this.subscription.unsubscribe();
    this.client.close();
  }
}

async function openStream(accessToken, channel) {
  const client = createStreamingAPIClient({ streamingApiUrl: baseURL.replace(/^http/, "ws"), accessToken, retry: 1 });
  try {
    await client.prepare(); // connects, or throws after the one attempt
  } catch (err) {
    client.close();
    throw new Expectation(`masto could not open the WebSocket at ${baseURL.replace(/^http/, "ws")}/api/v1/streaming: ` +
      `${describeError(err)}; a plain GET of it answers ${await plainStatus("/api/v1/streaming?stream=user", accessToken)}`);
  }
  const sub = channel === "user:notification" ? client.user.notification.subscribe() : client.user.subscribe();
  const s = new Stream(client, sub);
  cleanups.push(() => s.close());
  // The Mastodon protocol does not acknowledge a subscribe message: wait
  // until masto has sent it, then give the server a moment to act on it,
  // so that the event the step triggers next is not published before.
  const deadline = Date.now() + STREAM_WAIT_MS;
  while (!sub.connection && !s.error && Date.now() < deadline) await sleep(10);
  expect(sub.connection, `masto did not subscribe to ${channel}`, s.error ? describeError(s.error) : undefined);
  await sleep(SUBSCRIBE_SETTLE_MS);
  return s;
}

// plainStatus is what path answers a request without an upgrade, to say
// more than masto's "Failed to connect" does.
async function plainStatus(path, accessToken) {
  const ctl = new AbortController();
  try {
    const res = await fetch(baseURL + path, { headers: { Authorization: `Bearer ${accessToken}` }, signal: ctl.signal });
    const type = res.headers.get("content-type") ?? "";
    const body = type.includes("json") ? ` ${show(await res.text())}` : "";
    return `${res.status} ${type}${body}`;
  } catch (err) {
    return `nothing (${err.message})`;
  } finally {
    ctl.abort();
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- the journey --------------------------------------------------------

const anon = createRestAPIClient({ url: baseURL });
let app;
let patientToken = "";
let doc, fan; // masto REST clients: the clinician and the patient
let docAccount, fanAccount;
let first, second, reply;

await step("register an app (v1.apps.create, out-of-band redirect)", async () => {
  app = await anon.v1.apps.create({ clientName: "masto.js journey", redirectUris: OOB, scopes: SCOPES, website: "https://example.org/masto-journey" });
  expect(app.clientId && app.clientSecret, "client_id and client_secret", app);
  expect(app.name === "masto.js journey", "app name", app.name);
  return `client ${app.clientId.slice(0, 6)}…`;
});

await step(`patient @${patient.username}: sign in, consent, exchange the code (PKCE) with the masto OAuth client`, async () => {
  patientToken = await oauthToken(patient, app);
  fan = createRestAPIClient({ url: baseURL, accessToken: patientToken });
});

await step(`verify credentials for both, the clinician @${clinician.username} with a token from rounds admin token (v1.accounts.verifyCredentials)`, async () => {
  doc = createRestAPIClient({ url: baseURL, accessToken: clinician.token });
  fanAccount = await fan.v1.accounts.verifyCredentials();
  docAccount = await doc.v1.accounts.verifyCredentials();
  expect(fanAccount.username === patient.username, "patient's username", fanAccount.username);
  expect(docAccount.username === clinician.username, "clinician's username", docAccount.username);
  expect(typeof docAccount.id === "string" && docAccount.id !== fanAccount.id, "distinct string ids", [docAccount.id, fanAccount.id]);
});

await step("clinician posts a public status with a hashtag (v1.statuses.create)", async () => {
  first = await doc.v1.statuses.create({ status: "Flu shots are in at the clinic. #vaccines", visibility: "public" });
  expect(first.content.includes("Flu shots are in"), "content", first.content);
  expect(first.account.id === docAccount.id, "author", first.account.id);
  expect(first.tags.length === 1 && first.tags[0].name === "vaccines", "tags", first.tags);
  expect(first.visibility === "public", "visibility", first.visibility);
  return `status ${first.id}`;
});

await step("patient follows the clinician (v1.accounts.$select(id).follow)", async () => {
  const rel = await fan.v1.accounts.$select(docAccount.id).follow();
  expect(rel.id === docAccount.id && rel.following === true, "relationship after follow", rel);
  const [again] = await fan.v1.accounts.relationships.fetch({ id: [docAccount.id] });
  expect(again?.following === true, "relationships says following", again);
});

await step("clinician posts again; patient's home timeline has it (v1.timelines.home.list)", async () => {
  second = await doc.v1.statuses.create({ status: "Walk-ins welcome until 6 pm.", visibility: "public" });
  const home = await fan.v1.timelines.home.list({ limit: 20 });
  expect(Array.isArray(home), "home timeline is a list", home);
  const found = home.find((s) => s.id === second.id);
  expect(found, `status ${second.id} in the home timeline`, home.map((s) => s.id));
  expect(found.account.id === docAccount.id, "its author", found.account);
  expect(home[0].id === second.id, "the newest status first", home.map((s) => s.id));
  return `${home.length} statuses`;
});

await step("patient replies with a mention (inReplyToId)", async () => {
  reply = await fan.v1.statuses.create({ status: `@${clinician.username} Thanks! Do you take walk-ins on Saturday?`, inReplyToId: second.id, visibility: "public" });
  expect(reply.inReplyToId === second.id, "in_reply_to_id", reply.inReplyToId);
  expect(reply.inReplyToAccountId === docAccount.id, "in_reply_to_account_id", reply.inReplyToAccountId);
  expect(reply.mentions.length === 1 && reply.mentions[0].id === docAccount.id, "mentions", reply.mentions);
  const ctx = await doc.v1.statuses.$select(second.id).context.fetch();
  expect(ctx.descendants.some((s) => s.id === reply.id), "the reply in the thread's descendants", ctx);
});

await step("patient favourites the post (v1.statuses.$select(id).favourite)", async () => {
  const fav = await fan.v1.statuses.$select(second.id).favourite();
  expect(fav.id === second.id && fav.favourited === true, "favourited", fav.favourited);
  expect(fav.favouritesCount === 1, "favourites_count", fav.favouritesCount);
});

await step("clinician reads follow, mention and favourite notifications (v1.notifications.list)", async () => {
  const list = await doc.v1.notifications.list({ limit: 30 });
  const fromFan = list.filter((n) => n.account?.id === fanAccount.id);
  const types = new Set(fromFan.map((n) => n.type));
  for (const t of ["follow", "mention", "favourite"]) {
    expect(types.has(t), `a ${t} notification from the patient`, list.map((n) => `${n.type} from ${n.account?.username}`));
  }
  const mention = fromFan.find((n) => n.type === "mention");
  expect(mention.status?.id === reply.id, "the mention carries the reply", mention.status?.id);
  const favourite = fromFan.find((n) => n.type === "favourite");
  expect(favourite.status?.id === second.id, "the favourite carries the post", favourite.status?.id);
  return [...types].join(", ");
});

await step("Mastodon-style errors reach masto with their message", async () => {
  let err = null;
  try {
    await doc.v1.statuses.create({ status: "x".repeat(501) });
  } catch (e) {
    err = e;
  }
  expect(err?.statusCode === 422 && /500 characters/.test(err.message), "an over-long post: 422 naming the limit", err && describeError(err));
  err = null;
  try {
    await doc.v1.accounts.$select(docAccount.id).follow();
  } catch (e) {
    err = e;
  }
  expect(err?.statusCode >= 400 && err.statusCode < 500 && /yourself/i.test(err.message), "following oneself: 4xx naming it", err && describeError(err));
});

await step("streaming over the WebSocket: the patient's user stream gets the clinician's new post", async () => {
  const probe = await fetch(`${baseURL}/api/v1/streaming/health`);
  expect(probe.status === 200, "GET /api/v1/streaming/health", probe.status);
  const live = await openStream(patientToken, "user");
  const third = await doc.v1.statuses.create({ status: "Reminder: masks in the waiting room this week.", visibility: "public" });
  const e = await live.next(`an update for status ${third.id}`, (e) => e.event === "update" && e.payload?.id === third.id);
  expect(e.payload.account?.id === docAccount.id, "the update's author", e.payload.account);
  expect(e.stream?.includes("user"), "the event's stream", e.stream);
  return `update ${third.id}`;
});

await step("streaming over the WebSocket: the clinician's user:notification stream gets a favourite", async () => {
  const live = await openStream(clinician.token, "user:notification");
  await fan.v1.statuses.$select(first.id).favourite();
  const e = await live.next("a favourite notification", (e) => e.event === "notification" && e.payload?.type === "favourite");
  expect(e.payload.account?.id === fanAccount.id, "from the patient", e.payload.account);
  expect(e.payload.status?.id === first.id, "on the first post", e.payload.status?.id);
});

await step("revoke the patient's token (masto OAuth client); it stops working", async () => {
  await createOAuthAPIClient({ url: baseURL }).revoke({ clientId: app.clientId, clientSecret: app.clientSecret, token: patientToken });
  let err = null;
  try {
    await fan.v1.accounts.verifyCredentials();
  } catch (e) {
    err = e;
  }
  expect(err?.statusCode === 401, "verify_credentials after revoke: 401", err ? describeError(err) : "it still works");
});

clearTimeout(overall);
await finish(0);
