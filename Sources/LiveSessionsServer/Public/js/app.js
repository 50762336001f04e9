// LiveSessions web app: the shell (header, tabs, routing) and the start page.
//
// Routes: #/ (start), #/{panel}/{CODE} with panel one of live, progressive, board, scroll.
// Each panel is mounted with an AbortSignal; switching panels or leaving the page aborts it, which
// hangs up every stream the panel opened (the server's open-stream count returns to zero).
import { call } from "/_remote/client.js";
import { h, replaceChildren, errorMessage, toast } from "./dom.js";
import * as live from "./panels/live.js";
import * as progressive from "./panels/progressive.js";
import * as board from "./panels/board.js";
import * as scroll from "./panels/scroll.js";

const PANELS = { live, progressive, board, scroll };
const main = document.getElementById("main");
let mounted = null;

/** The participant this browser joined a session as, remembered per session code. */
export const identity = {
  get(code) {
    try { return JSON.parse(localStorage.getItem(`live-sessions:me:${code}`) || "null"); } catch { return null; }
  },
  set(code, participant) {
    localStorage.setItem(`live-sessions:me:${code}`, JSON.stringify(participant));
  },
  forget(code) {
    localStorage.removeItem(`live-sessions:me:${code}`);
  },
};

function rememberSession(session) {
  localStorage.setItem(`live-sessions:session:${session.code}`, JSON.stringify(session));
}

function knownSession(code) {
  try { return JSON.parse(localStorage.getItem(`live-sessions:session:${code}`) || "null"); } catch { return null; }
}

const CONNECTION_LABELS = {
  idle: "Idle", connecting: "Connecting…", open: "Live", reconnecting: "Reconnecting…", closed: "Offline", failed: "Disconnected", done: "Up to date",
};

/** Shows a stream's connection state in the header. */
function setConnection(state) {
  const pill = document.getElementById("connection");
  pill.dataset.state = state;
  pill.querySelector("span").textContent = CONNECTION_LABELS[state] || state;
}

function renderHeader(code) {
  const info = document.getElementById("session-info");
  const tabs = document.getElementById("tabs");
  const me = document.getElementById("me");
  info.hidden = !code;
  tabs.hidden = !code;
  if (!code) {
    me.hidden = true;
    return;
  }
  const session = knownSession(code);
  document.getElementById("session-name").textContent = session ? session.name : "Session";
  const chip = document.getElementById("session-code");
  chip.textContent = code;
  chip.onclick = () => {
    navigator.clipboard?.writeText(code).then(() => toast(`Copied ${code}`), () => {});
  };
  const participant = identity.get(code);
  me.hidden = !participant;
  if (participant) replaceChildren(me, "You are ", h("strong", {}, participant.name));
  for (const tab of tabs.querySelectorAll(".tab")) {
    tab.href = `#/${tab.dataset.panel}/${code}`;
  }
}

/** Updates a stored session name when a panel learns it (for example from the progressive load). */
export function sessionLearned(session) {
  rememberSession(session);
  document.getElementById("session-name").textContent = session.name;
}

function route() {
  if (mounted) {
    mounted.controller.abort();
    mounted = null;
  }
  setConnection("idle");
  const match = location.hash.match(/^#\/(live|progressive|board|scroll)\/([A-Za-z0-9]{4,12})\/?$/);
  if (!match) {
    renderHeader(null);
    document.title = "LiveSessions";
    showStart();
    return;
  }
  const [, panel, rawCode] = match;
  const code = rawCode.toUpperCase();
  renderHeader(code);
  for (const tab of document.querySelectorAll(".tab")) {
    tab.classList.toggle("active", tab.dataset.panel === panel);
    tab.setAttribute("aria-current", tab.dataset.panel === panel ? "page" : "false");
  }
  document.title = `${code} · LiveSessions`;
  const controller = new AbortController();
  const container = h("section", { class: `panel panel-${panel}`, dataset: { panel } });
  replaceChildren(main, container);
  mounted = { controller };
  PANELS[panel].mount(container, {
    code,
    signal: controller.signal,
    setConnection: (state) => { if (!controller.signal.aborted) setConnection(state); },
    identity,
    sessionLearned,
  });
}

function showStart() {
  const createForm = h("form", { class: "stack", id: "create-form" },
    h("label", { class: "field" }, h("span", {}, "Session name"),
      h("input", { name: "name", required: true, placeholder: "Design review", autocomplete: "off", maxlength: "80" })),
    h("label", { class: "field" }, h("span", {}, "Your name"),
      h("input", { name: "me", required: true, placeholder: "Ada Lovelace", autocomplete: "name", maxlength: "60" })),
    h("button", { class: "button primary", type: "submit" }, "Create session"));
  const joinForm = h("form", { class: "stack", id: "join-form" },
    h("label", { class: "field" }, h("span", {}, "Session code"),
      h("input", { name: "code", required: true, placeholder: "ABC123", autocomplete: "off", class: "mono", maxlength: "12", pattern: "[A-Za-z0-9]{4,12}" })),
    h("label", { class: "field" }, h("span", {}, "Your name"),
      h("input", { name: "me", required: true, placeholder: "Grace Hopper", autocomplete: "name", maxlength: "60" })),
    h("button", { class: "button", type: "submit" }, "Join session"));

  createForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(createForm);
    await busy(createForm, async () => {
      const session = await call("sessions.create", { name: String(data.get("name")).trim() });
      rememberSession(session);
      const participant = await call("participants.join", { sessionCode: session.code, name: String(data.get("me")).trim() });
      identity.set(session.code, participant);
      location.hash = `#/live/${session.code}`;
    });
  });
  joinForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(joinForm);
    const code = String(data.get("code")).trim().toUpperCase();
    await busy(joinForm, async () => {
      const participant = await call("participants.join", { sessionCode: code, name: String(data.get("me")).trim() });
      identity.set(code, participant);
      location.hash = `#/live/${code}`;
    });
  });

  replaceChildren(main, h("section", { class: "start" },
    h("div", { class: "hero" },
      h("h1", {}, "Run live sessions, together."),
      h("p", { class: "muted" }, "Who is here, what the numbers say and what the team is working on — updated live, straight from the server's remote functions.")),
    h("div", { class: "start-grid" },
      h("div", { class: "card" }, h("h2", {}, "Start a new session"), h("p", { class: "muted small" }, "You get a six-character code to share."), createForm),
      h("div", { class: "card" }, h("h2", {}, "Join with a code"), h("p", { class: "muted small" }, "Someone shared a code with you? Enter it here."), joinForm))));
}

/** Disables a form while `work` runs and shows its error. */
async function busy(form, work) {
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  form.querySelector(".form-error")?.remove();
  try {
    await work();
  } catch (error) {
    form.append(h("p", { class: "form-error" }, errorMessage(error)));
  } finally {
    button.disabled = false;
  }
}

window.addEventListener("hashchange", route);
window.addEventListener("pagehide", () => mounted?.controller.abort());
// A page restored from the back/forward cache had its streams aborted on pagehide: start again.
window.addEventListener("pageshow", (event) => { if (event.persisted) route(); });
route();
