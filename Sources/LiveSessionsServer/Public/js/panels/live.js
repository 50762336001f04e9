// Live list: `participants.stream` drives a table and the stats; commands join, change status and leave.
import { call, stream } from "/_remote/client.js";
import { h, replaceChildren, skeleton, statusPill, avatar, timeAgo, number, errorMessage, toast } from "../dom.js";

const STATUSES = ["active", "idle", "away"];
/** The table shows at most this many rows; the directory pages through everyone. */
const MAX_ROWS = 200;

export function mount(root, { code, signal, setConnection, identity }) {
  const statValues = {};
  const statCard = (key, label) => {
    statValues[key] = h("span", { class: "stat-value", dataset: { stat: key } }, skeleton("3rem", "1.8rem"));
    return h("div", { class: `card stat stat-${key}` }, h("span", { class: "stat-label" }, key === "total" ? null : h("i", { class: `dot dot-${key}` }), label), statValues[key]);
  };
  const stats = h("div", { class: "stats" },
    statCard("total", "Participants"), statCard("active", "Active"), statCard("idle", "Idle"), statCard("away", "Away"));

  const nameInput = h("input", { name: "name", placeholder: "Name", required: true, autocomplete: "off", maxlength: "60", "aria-label": "Participant name" });
  const joinForm = h("form", { class: "inline-form", id: "join-as" }, nameInput, h("button", { class: "button primary", type: "submit" }, "Join as…"));
  joinForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!name) return;
    try {
      await call("participants.join", { sessionCode: code, name }, { signal });
      nameInput.value = "";
      toast(`${name} joined`);
    } catch (error) {
      if (!signal.aborted) toast(errorMessage(error), "error");
    }
  });

  const tbody = h("tbody", {});
  replaceChildren(tbody, Array.from({ length: 5 }, () => h("tr", { class: "skeleton-row" },
    h("td", {}, h("div", { class: "person" }, h("span", { class: "avatar skeleton" }), skeleton("8rem"))),
    h("td", {}, skeleton("4.5rem", "1.3rem")), h("td", {}, skeleton("5rem")), h("td", {}, skeleton("10rem")))));
  const updated = h("span", { class: "muted small", id: "live-updated" }, "Waiting for the first update…");
  const table = h("table", { class: "table", id: "participants" },
    h("thead", {}, h("tr", {}, h("th", {}, "Participant"), h("th", {}, "Status"), h("th", {}, "Joined"), h("th", { class: "actions-col" }, "Actions"))),
    tbody);

  replaceChildren(root,
    h("div", { class: "panel-head" },
      h("div", {}, h("h1", {}, "Live participants"), h("p", { class: "muted" }, "Everyone in this session, updated as it happens.")),
      joinForm),
    stats,
    h("div", { class: "card table-card" },
      h("div", { class: "card-head" }, h("h2", {}, "Participants"), updated),
      h("div", { class: "table-wrap" }, table)));

  const me = identity.get(code);

  async function command(id, args, done) {
    try {
      await call(id, args, { signal });
      if (done) done();
    } catch (error) {
      if (!signal.aborted) toast(errorMessage(error), "error");
    }
  }

  function row(participant) {
    const isMe = me && me.id === participant.id;
    const statusButtons = h("div", { class: "segmented", role: "group", "aria-label": "Set status" },
      STATUSES.map((status) => h("button", {
        type: "button",
        class: participant.status === status ? "seg active" : "seg",
        dataset: { setStatus: status },
        "aria-pressed": String(participant.status === status),
        onclick: () => command("participants.setStatus", { sessionCode: code, participantId: participant.id, status }),
      }, status)));
    const leave = h("button", {
      type: "button", class: "button ghost small", dataset: { action: "leave" },
      onclick: () => command("participants.leave", { sessionCode: code, participantId: participant.id }, () => {
        if (isMe) identity.forget(code);
      }),
    }, "Leave");
    return h("tr", { dataset: { participantId: participant.id, name: participant.name, status: participant.status } },
      h("td", {}, h("div", { class: "person" }, avatar(participant.name), h("span", { class: "name" }, participant.name), isMe ? h("span", { class: "tag" }, "you") : null)),
      h("td", {}, statusPill(participant.status)),
      h("td", { class: "muted", title: participant.joinedAt }, timeAgo(participant.joinedAt)),
      h("td", { class: "actions" }, statusButtons, leave));
  }

  let rowsById = new Map();

  function render(update) {
    statValues.total.textContent = number(update.stats.total);
    for (const status of STATUSES) statValues[status].textContent = number(update.stats.byStatus[status] ?? 0);
    if (update.participants.length === 0) {
      rowsById = new Map();
      replaceChildren(tbody, h("tr", {}, h("td", { colspan: "4", class: "empty" }, "Nobody is here yet. Use “Join as…” to add someone.")));
    } else {
      const shown = update.participants.slice(0, MAX_ROWS);
      const rest = update.participants.length - shown.length;
      // Keyed update: a row whose participant did not change stays the same element, so a click
      // in progress or a hover is not disturbed by the next update.
      const next = new Map();
      const rows = shown.map((participant) => {
        const key = `${participant.name}\u0000${participant.status}`;
        const existing = rowsById.get(participant.id);
        const element = existing && existing.key === key ? existing.element : row(participant);
        next.set(participant.id, { key, element });
        return element;
      });
      rowsById = next;
      if (rest > 0) rows.push(h("tr", {}, h("td", { colspan: "4", class: "empty" }, `and ${number(rest)} more — see the Directory tab`)));
      const same = rows.length === tbody.children.length && rows.every((element, i) => tbody.children[i] === element);
      if (!same) tbody.replaceChildren(...rows);
    }
    table.dataset.count = String(update.participants.length);
    updated.textContent = `Updated ${new Date(update.timestamp).toLocaleTimeString()}`;
  }

  (async () => {
    try {
      for await (const update of stream("participants.stream", { sessionCode: code }, { signal, onStateChange: setConnection })) {
        render(update);
      }
    } catch (error) {
      if (!signal.aborted) {
        updated.textContent = errorMessage(error);
        updated.classList.add("error-text");
      }
    }
  })();
}
