/**
 * The dashboard's two HTML documents: the sign-in form and the live view's shell. No inline
 * script or style (the CSP forbids them): behaviour is assets/dashboard.js, looks are
 * assets/dashboard.css, both served by this server, so the page works offline. The shell holds no
 * class data; it arrives over /dashboard/events once signed in.
 */
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

function documentOf(title: string, body: string, scripts: string[] = []): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/dashboard/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
${scripts.map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join('\n')}
</head>
<body>
${body}
</body>
</html>
`;
}

export function signInPage(options: { error?: string; version: string }): string {
  return documentOf(
    'breakfix · sign in',
    `<main class="sign-in">
<h1>breakfix <span class="muted">instructor dashboard</span></h1>
<form method="post" action="/dashboard/login">
<label for="token">Server token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<p class="muted">The BREAKFIX_TOKEN of this server, or the one <code>breakfix serve</code> printed at start.</p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<button type="submit">Sign in</button>
</form>
<p class="muted small">breakfix ${escapeHtml(options.version)}</p>
</main>`,
  );
}

export function dashboardPage(options: { version: string }): string {
  return documentOf(
    'breakfix · class dashboard',
    `<header>
<h1>breakfix <span class="muted">class dashboard</span></h1>
<p id="connection" class="connection" data-state="connecting">connecting…</p>
<form method="post" action="/dashboard/logout"><button type="submit" class="link">Sign out</button></form>
</header>
<main>
<section aria-labelledby="sessions-title">
<h2 id="sessions-title">Sessions <span id="session-count" class="count">0</span></h2>
<table id="sessions">
<thead><tr><th>learner</th><th>scenario</th><th>state</th><th class="num">score</th><th class="num">hints</th><th class="num">attempts</th><th class="num">elapsed</th></tr></thead>
<tbody></tbody>
</table>
<p id="no-sessions" class="muted">No session is running. Learners start one with POST /v1/sessions.</p>
</section>
<section aria-labelledby="gradings-title">
<h2 id="gradings-title">Gradings received <span id="grading-count" class="count">0</span></h2>
<table id="gradings">
<thead><tr><th>received</th><th>learner</th><th>scenario</th><th>outcome</th><th class="num">score</th><th class="num">took</th></tr></thead>
<tbody></tbody>
</table>
<p id="no-gradings" class="muted">No grading yet (POST /v1/grade).</p>
</section>
</main>
<footer class="muted small">breakfix ${escapeHtml(options.version)} · live over Server-Sent Events</footer>`,
    ['/dashboard/assets/dashboard.js'],
  );
}
