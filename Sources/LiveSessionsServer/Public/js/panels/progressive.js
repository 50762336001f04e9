// Progressive page: `sessions.loadProgressive` yields four chunks in order; each section shows a
// skeleton until its chunk arrives. Each section carries data-stage, data-loaded ("true"/"false")
// and, once loaded, data-loaded-at (ms since the load started) and data-order (arrival rank).
import { stream } from "/_remote/client.js";
import { h, replaceChildren, skeleton, avatar, statusPill, dateTime, number, errorMessage } from "../dom.js";

const STAGES = [
  { type: "session", title: "Session", waiting: "loading…" },
  { type: "participants", title: "Participants", waiting: "loading…" },
  { type: "analytics", title: "Analytics", waiting: "computing…" },
  { type: "insights", title: "Insights", waiting: "computing…" },
];

export function mount(root, { code, signal, setConnection, sessionLearned }) {
  const reload = h("button", { class: "button", type: "button", id: "reload" }, "Reload");
  const timeline = h("ol", { class: "timeline", id: "timeline" });
  const grid = h("div", { class: "progressive-grid" });
  replaceChildren(root,
    h("div", { class: "panel-head" },
      h("div", {}, h("h1", {}, "Session overview"), h("p", { class: "muted" }, "Each part appears as soon as the server has it — fast facts first, heavy analytics last.")),
      reload),
    timeline,
    grid);

  let run = null;
  reload.addEventListener("click", () => start());
  signal.addEventListener("abort", () => run?.abort(), { once: true });
  start();

  function start() {
    run?.abort();
    const controller = new AbortController();
    run = controller;
    if (signal.aborted) return;
    const sections = {};
    const steps = {};
    replaceChildren(timeline, STAGES.map((stage) => {
      steps[stage.type] = h("span", { class: "step-time" }, stage.waiting);
      return h("li", { class: "step", dataset: { stage: stage.type, loaded: "false" } }, h("i", { class: "step-dot" }), h("span", {}, stage.title), steps[stage.type]);
    }));
    replaceChildren(grid, STAGES.map((stage) => {
      const label = h("span", { class: "stage-label" }, h("span", { class: "spinner", "aria-hidden": "true" }), stage.waiting);
      const body = h("div", { class: "stage-body" }, placeholder(stage.type));
      sections[stage.type] = { element: h("section", { class: `card stage stage-${stage.type}`, dataset: { stage: stage.type, loaded: "false" }, "aria-busy": "true" },
        h("div", { class: "card-head" }, h("h2", {}, stage.title), label), body), label, body };
      return sections[stage.type].element;
    }));
    const started = performance.now();
    let order = 0;
    (async () => {
      try {
        const chunks = stream("sessions.loadProgressive", { sessionCode: code }, {
          signal: controller.signal,
          onStateChange: (state) => setConnection(state === "closed" ? "done" : state),
        });
        for await (const chunk of chunks) {
          const section = sections[chunk.type];
          if (!section) continue;
          const elapsed = Math.round(performance.now() - started);
          order += 1;
          section.element.dataset.loaded = "true";
          section.element.dataset.loadedAt = String(elapsed);
          section.element.dataset.order = String(order);
          section.element.removeAttribute("aria-busy");
          replaceChildren(section.label, h("span", { class: "ready" }, `ready in ${elapsed} ms`));
          replaceChildren(section.body, RENDERERS[chunk.type](chunk.data));
          const step = timeline.querySelector(`[data-stage="${chunk.type}"]`);
          step.dataset.loaded = "true";
          steps[chunk.type].textContent = `${elapsed} ms`;
          if (chunk.type === "session") sessionLearned(chunk.data);
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        for (const stage of STAGES) {
          const section = sections[stage.type];
          if (section.element.dataset.loaded === "false") {
            replaceChildren(section.label, h("span", { class: "error-text" }, "failed"));
            replaceChildren(section.body, h("p", { class: "error-text" }, errorMessage(error)));
          }
        }
      }
    })();
  }
}

function placeholder(type) {
  const lines = { session: 3, participants: 4, analytics: 6, insights: 4 }[type];
  return h("div", { class: "placeholder" },
    type === "participants" || type === "analytics" ? skeleton("40%", "2.2rem") : null,
    Array.from({ length: lines }, (_, i) => skeleton(`${90 - ((i * 17) % 40)}%`)));
}

const RENDERERS = {
  session(session) {
    return h("dl", { class: "facts" },
      h("dt", {}, "Name"), h("dd", { class: "strong" }, session.name),
      h("dt", {}, "Code"), h("dd", {}, h("span", { class: "code-chip static" }, session.code)),
      h("dt", {}, "Created"), h("dd", {}, dateTime(session.createdAt)));
  },

  participants(data) {
    const recent = data.recent || [];
    return h("div", {},
      h("div", { class: "big-number", dataset: { value: data.total } }, number(data.total), h("span", { class: "muted small" }, " in total")),
      h("p", { class: "muted small" }, recent.length ? `Latest ${Math.min(recent.length, 12)} of ${number(recent.length)} recent` : "Nobody has joined yet."),
      h("ul", { class: "chips" }, [...recent].sort((a, b) => b.id - a.id).slice(0, 12).map((p) => h("li", { class: "chip" }, avatar(p.name), p.name, statusPill(p.status)))));
  },

  analytics(data) {
    const by = data.byStatus || {};
    const total = data.total || 0;
    const bar = h("div", { class: "stacked-bar", role: "img", "aria-label": "Participants by status" },
      ["active", "idle", "away"].map((status) => h("span", { class: `seg-${status}`, style: { flexGrow: String(by[status] || 0) }, title: `${status}: ${by[status] || 0}` })));
    const legend = h("ul", { class: "legend" }, ["active", "idle", "away"].map((status) =>
      h("li", {}, h("i", { class: `dot dot-${status}` }), `${status} `, h("strong", {}, number(by[status] || 0)),
        total ? h("span", { class: "muted" }, ` · ${Math.round(((by[status] || 0) / total) * 100)}%`) : null)));
    const known = new Set(["total", "byStatus", "joinsPerMinute", "peakMinute", "medianNameLength", "topFirstNames", "computeMilliseconds"]);
    const extra = Object.entries(data).filter(([key, value]) => !known.has(key) && (typeof value === "number" || typeof value === "string"));
    const topNames = Array.isArray(data.topFirstNames) ? data.topFirstNames : [];
    return h("div", {},
      h("div", { class: "big-number" }, number(total), h("span", { class: "muted small" }, " participants analysed")),
      bar, legend,
      h("h3", { class: "subhead" }, "Joins per minute"),
      sparkline(data.joinsPerMinute || []),
      h("dl", { class: "facts compact" },
        h("dt", {}, "Peak minute"), h("dd", {}, data.peakMinute ? dateTime(data.peakMinute) : "—"),
        h("dt", {}, "Median name length"), h("dd", {}, typeof data.medianNameLength === "number" ? data.medianNameLength.toFixed(1) : "—"),
        extra.map(([key, value]) => [h("dt", {}, humanize(key)), h("dd", {}, formatFact(key, value))])),
      topNames.length ? [h("h3", { class: "subhead" }, "Most common first names"),
        h("ul", { class: "chips" }, topNames.map((entry) => h("li", { class: "chip plain" }, entry.name, h("strong", {}, number(entry.count)))))] : null,
      typeof data.computeMilliseconds === "number"
        ? h("p", { class: "muted small compute-time" }, `Computed on the server in ${number(Math.round(data.computeMilliseconds))} ms`) : null);
  },

  insights(items) {
    if (!items || items.length === 0) return h("p", { class: "muted" }, "No insights yet — invite more people.");
    return h("ul", { class: "insights" }, items.map((item) => h("li", {}, h("span", { class: "insight-icon", "aria-hidden": "true" }, "✦"),
      h("div", {}, h("strong", {}, item.title), h("p", { class: "muted small" }, item.detail)))));
  },
};

function formatFact(key, value) {
  if (typeof value !== "number") return /Minute$|At$/.test(key) ? dateTime(value) : value;
  if (/Rate$/.test(key)) return `${(value * 100).toFixed(1)}%`;
  if (/Seconds$/.test(key)) return duration(value);
  if (Number.isInteger(value)) return number(value);
  return value.toFixed(2);
}

function duration(seconds) {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

function humanize(key) {
  const text = key.replace(/(Seconds|Milliseconds)$/, "").replace(/([A-Z])/g, " $1").toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A small bar chart of the last 60 minutes that had joins. */
function sparkline(points) {
  const data = points.slice(-60);
  if (data.length === 0) return h("p", { class: "muted small" }, "No joins recorded.");
  const max = Math.max(...data.map((p) => p.count), 1);
  const width = 300;
  const height = 64;
  // At least 30 slots, so that a few minutes do not become huge bars; the newest is on the right.
  const slots = Math.max(data.length, 30);
  const step = width / slots;
  const offset = (slots - data.length) * step;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("class", "sparkline");
  svg.setAttribute("preserveAspectRatio", "none");
  data.forEach((point, i) => {
    const rect = document.createElementNS(ns, "rect");
    const barHeight = Math.max(2, (point.count / max) * (height - 4));
    rect.setAttribute("x", String(offset + i * step + step * 0.15));
    rect.setAttribute("y", String(height - barHeight));
    rect.setAttribute("width", String(Math.max(1, step * 0.7)));
    rect.setAttribute("height", String(barHeight));
    rect.setAttribute("rx", "1.5");
    const title = document.createElementNS(ns, "title");
    title.textContent = `${dateTime(point.minute)}: ${point.count}`;
    rect.append(title);
    svg.append(rect);
  });
  return svg;
}
