// The instructor dashboard, in the browser. Plain script, no dependencies, no inline code (the
// page's CSP allows only this file): one EventSource on /dashboard/events, rows built with
// textContent (never HTML from data), elapsed times ticking every second.
/* global document, EventSource, CSS, setInterval */
'use strict';

(() => {
  const sessions = new Map();
  let gradingCount = 0;
  // Server time minus ours, so elapsed times do not depend on the viewer's clock.
  let clockOffset = 0;

  const byId = (id) => document.getElementById(id);
  const sessionBody = byId('sessions').tBodies[0];
  const gradingBody = byId('gradings').tBodies[0];

  function setConnection(state, text) {
    const element = byId('connection');
    element.dataset.state = state;
    element.textContent = text;
  }

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function duration(ms) {
    const total = Math.max(0, Math.floor(ms / 1000));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = total % 60;
    if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
    if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
    return `${seconds}s`;
  }

  const scoreText = (score, maxScore) => (score === null ? '—' : `${score}/${maxScore}`);
  const elapsedOf = (row) => duration(Date.now() + clockOffset - Date.parse(row.createdAt));

  function sessionRow(row) {
    const tr = document.createElement('tr');
    tr.dataset.sessionId = row.id;
    tr.dataset.state = row.state;
    const state = cell(row.state, 'state');
    state.dataset.state = row.state;
    if (row.error) state.title = row.error;
    const score = cell(scoreText(row.score, row.maxScore), 'num score');
    if (row.passed !== null) score.dataset.passed = String(row.passed);
    tr.append(
      cell(row.learner ?? '—', 'learner'),
      cell(row.scenario, 'scenario'),
      state,
      score,
      cell(String(row.hintsUsed), 'num hints'),
      cell(String(row.attempts), 'num attempts'),
      cell(elapsedOf(row), 'num elapsed'),
    );
    return tr;
  }

  function showSession(row) {
    sessions.set(row.id, row);
    const fresh = sessionRow(row);
    const existing = sessionBody.querySelector(`tr[data-session-id="${CSS.escape(row.id)}"]`);
    if (existing) existing.replaceWith(fresh);
    else sessionBody.append(fresh);
    countSessions();
  }

  function removeSession(id) {
    sessions.delete(id);
    sessionBody.querySelector(`tr[data-session-id="${CSS.escape(id)}"]`)?.remove();
    countSessions();
  }

  function countSessions() {
    byId('session-count').textContent = String(sessions.size);
    byId('no-sessions').hidden = sessions.size > 0;
  }

  function showGrading(row) {
    const tr = document.createElement('tr');
    tr.dataset.gradingId = String(row.id);
    tr.dataset.outcome = row.outcome;
    const outcome = cell(row.outcome, 'outcome');
    outcome.dataset.outcome = row.outcome;
    if (row.message) outcome.title = row.message;
    tr.append(
      cell(new Date(row.receivedAt).toLocaleTimeString(), 'received'),
      cell(row.learner ?? '—', 'learner'),
      cell(row.scenario, 'scenario'),
      outcome,
      cell(scoreText(row.score, row.maxScore), 'num score'),
      cell(duration(row.durationMs), 'num took'),
    );
    gradingBody.prepend(tr); // newest first
    gradingCount += 1;
    byId('grading-count').textContent = String(gradingCount);
    byId('no-gradings').hidden = true;
  }

  function tick() {
    for (const tr of sessionBody.rows) {
      const row = sessions.get(tr.dataset.sessionId);
      if (row) tr.querySelector('.elapsed').textContent = elapsedOf(row);
    }
  }

  const source = new EventSource('/dashboard/events');
  const on = (event, handle) => source.addEventListener(event, (message) => handle(JSON.parse(message.data)));

  on('snapshot', (snapshot) => {
    clockOffset = Date.parse(snapshot.serverTime) - Date.now();
    sessions.clear();
    sessionBody.replaceChildren();
    gradingBody.replaceChildren();
    gradingCount = 0;
    byId('grading-count').textContent = '0';
    byId('no-gradings').hidden = false;
    for (const row of snapshot.sessions) showSession(row);
    for (const row of snapshot.gradings) showGrading(row);
    countSessions();
    setConnection('live', 'live');
  });
  on('session', showSession);
  on('removed', (data) => removeSession(data.id));
  on('grading', showGrading);
  on('end', () => {
    source.close();
    setConnection('closed', 'the server stopped');
  });
  source.addEventListener('open', () => setConnection('live', 'live'));
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED)
      setConnection('closed', 'disconnected: reload the page (sign in again if asked)');
    else setConnection('reconnecting', 'reconnecting…');
  });

  setInterval(tick, 1000);
})();
