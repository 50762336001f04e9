// Board: cards from `entities.list`, each kept live by `entities.watch`, edited optimistically with
// `entities.update` (compare-and-set on baseVersion).
//
// Conflict policy (the same as the Swift SyncedEntity; docs/DEMO.md describes it):
// every card remembers `base`, the server version the user's edits start from. An edit shows at
// once (optimistic, with a "syncing…" badge) and is sent as {changes, baseVersion: base.version},
// where `changes` holds only the fields the user changed. When the server answers
// {conflict: true, current}, the card merges three-way, field by field, against `base`:
//   - a field only the user changed is re-applied on top of `current`, and the update is retried
//     with current.version;
//   - a field only someone else changed takes their value;
//   - a field both changed to different values is a real conflict: the card shows both values side
//     by side with "Keep mine", "Keep theirs" and "Keep both" (notes: theirs, a blank line, mine;
//     title: "theirs / mine"; status has no "both"). The user's text stays on screen until they
//     choose, so it is never lost.
// Watch updates rebase a card the same way while the user is not editing it; while the user has
// unsaved text in a field that someone else changed, the rebase waits and the conflict shows when
// the user saves. Text fields save on blur (or Ctrl/⌘+Enter), the status saves at once.
//
// Every card shown is watched, up to MAX_WATCHES: the browser client carries all of a page's
// streams on one multiplexed channel (issue 7), so watches no longer use one HTTP/1.1 connection
// each (a browser allows six per origin). The bound stays under the channel's 100-subscription
// limit. A light `entities.list` refresh finds cards created elsewhere and updates unwatched cards.
import { call, query, stream } from "/_remote/client.js";
import { h, replaceChildren, skeleton, timeAgo, errorMessage, toast } from "../dom.js";
import { FIELDS, mergePlan, hasNewConflict, resolution } from "../merge.js";
const COLUMNS = [
  { status: "todo", title: "To do" },
  { status: "doing", title: "Doing" },
  { status: "done", title: "Done" },
];
const MAX_WATCHES = 90;
const REFRESH_MS = 4000;
const FIELD_NAMES = { title: "Title", notes: "Notes", status: "Status" };

export function mount(root, { code, signal, setConnection }) {
  const cards = new Map();
  const columns = {};
  let watchCount = 0;

  const titleInput = h("input", { name: "title", placeholder: "New card title", required: true, autocomplete: "off", maxlength: "120", "aria-label": "New card title" });
  const createForm = h("form", { class: "inline-form", id: "create-card" }, titleInput, h("button", { class: "button primary", type: "submit" }, "Add card"));
  createForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const title = titleInput.value.trim();
    if (!title) return;
    try {
      const entity = await call("entities.create", { sessionCode: code, title }, { signal });
      titleInput.value = "";
      receive(entity);
    } catch (error) {
      if (!signal.aborted) toast(errorMessage(error), "error");
    }
  });

  const boardElement = h("div", { class: "board", id: "board" }, COLUMNS.map((column) => {
    const list = h("div", { class: "column-cards" }, [0, 1].map(() => h("div", { class: "card entity skeleton-card" }, skeleton("70%", "1.1rem"), skeleton("95%"), skeleton("55%"))));
    const count = h("span", { class: "count" }, "0");
    columns[column.status] = { list, count };
    return h("section", { class: `column column-${column.status}`, dataset: { column: column.status } },
      h("header", { class: "column-head" }, h("i", { class: `dot dot-${column.status}` }), h("h2", {}, column.title), count), list);
  }));

  replaceChildren(root,
    h("div", { class: "panel-head" },
      h("div", {}, h("h1", {}, "Board"), h("p", { class: "muted" }, "Edit together. Changes sync live; if two people change the same field, you choose what to keep.")),
      createForm),
    boardElement);

  setConnection("connecting");
  refresh(true);
  const timer = setInterval(() => refresh(false), REFRESH_MS);
  signal.addEventListener("abort", () => clearInterval(timer), { once: true });

  async function refresh(first) {
    try {
      const entities = await query("entities.list", { sessionCode: code }, { signal });
      if (first) {
        for (const column of Object.values(columns)) column.list.replaceChildren();
        setConnection("open");
      }
      for (const entity of entities) receive(entity);
      updateCounts();
      if (first && entities.length === 0) {
        columns.todo.list.append(h("p", { class: "empty", id: "board-empty" }, "No cards yet. Add the first one above."));
      }
    } catch (error) {
      if (signal.aborted) return;
      if (first) setConnection(error.retryable ? "reconnecting" : "failed");
    }
  }

  function updateCounts() {
    for (const column of COLUMNS) {
      columns[column.status].count.textContent = String(columns[column.status].list.querySelectorAll(".entity[data-entity-id]").length);
    }
  }

  /** A server version of an entity arrived (list, create, watch). */
  function receive(entity) {
    let card = cards.get(entity.id);
    if (!card) {
      document.getElementById("board-empty")?.remove();
      card = createCard(entity);
      cards.set(entity.id, card);
      place(card);
      updateCounts();
      if (watchCount < MAX_WATCHES) watch(card);
      return;
    }
    if (entity.version <= card.server.version) return;
    card.server = entity;
    if (card.inFlight) return; // the pending update's answer rebases
    merge(card, entity, { deferConflicts: true });
    render(card);
  }

  function watch(card) {
    watchCount += 1;
    card.live = true;
    card.element.dataset.watched = "true";
    (async () => {
      try {
        for await (const message of stream("entities.watch", { entityId: card.id }, {
          signal,
          lastEventId: null,
          onStateChange: (state) => { card.element.dataset.watch = state; },
        })) {
          if (message && message.data) receive(message.data);
        }
      } catch (error) {
        if (!signal.aborted) card.element.dataset.watch = "failed";
      }
    })();
  }

  function createCard(entity) {
    const card = {
      id: entity.id,
      base: entity,
      server: entity,
      local: { title: entity.title, notes: entity.notes, status: entity.status },
      conflicts: new Map(),
      inFlight: false,
      error: null,
      live: false,
    };
    const title = h("textarea", { class: "entity-title", dataset: { field: "title" }, rows: "1", maxlength: "120", "aria-label": "Title" });
    title.value = entity.title;
    const notes = h("textarea", { class: "entity-notes", dataset: { field: "notes" }, rows: "3", placeholder: "Add notes…", "aria-label": "Notes" });
    notes.value = entity.notes;
    const status = h("select", { class: "entity-status", dataset: { field: "status" }, "aria-label": "Status" },
      COLUMNS.map((column) => h("option", { value: column.status }, column.title)));
    status.value = entity.status;
    const badge = h("span", { class: "sync-badge", dataset: { badge: "" } });
    const meta = h("span", { class: "entity-meta muted small" });
    const conflicts = h("div", { class: "conflicts" });
    card.inputs = { title, notes, status };
    card.badge = badge;
    card.meta = meta;
    card.conflictBox = conflicts;
    card.element = h("article", { class: "card entity", dataset: { entityId: entity.id, version: entity.version, sync: "idle" } },
      h("div", { class: "entity-top" }, title, badge),
      notes,
      h("div", { class: "entity-foot" }, status, meta, h("i", { class: "live-dot", title: "Live updates" })),
      conflicts);

    for (const field of ["title", "notes"]) {
      const input = card.inputs[field];
      input.addEventListener("input", () => {
        if (field === "title" && input.value.includes("\n")) input.value = input.value.replace(/\n/g, " ");
        card.local[field] = input.value;
        render(card);
      });
      input.addEventListener("change", () => sync(card));
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (field === "title" || event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          input.blur();
          sync(card);
        } else if (event.key === "Escape") {
          card.local[field] = card.base[field];
          input.value = card.base[field];
          input.blur();
          render(card);
        }
      });
    }
    status.addEventListener("change", () => {
      card.local.status = status.value;
      place(card, { now: true });
      updateCounts();
      sync(card);
    });
    render(card);
    return card;
  }

  /**
   * Puts a card in its status column. A card the user is typing in is not moved under their hands
   * (moving a focused field blurs it): it moves when focus leaves it, unless `now` (the user just
   * changed the status themselves).
   */
  /** Grows a one-line title field to show its whole text. */
  function fitHeight(textarea) {
    if (!textarea.isConnected) {
      requestAnimationFrame(() => { if (textarea.isConnected) fitHeight(textarea); });
      return;
    }
    textarea.style.height = "auto";
    textarea.style.height = `${textarea.scrollHeight + 2}px`;
  }

  function place(card, { now = false } = {}) {
    const list = columns[card.local.status]?.list || columns.todo.list;
    if (card.element.parentElement === list) return;
    const focused = document.activeElement;
    if (!now && card.element.isConnected && focused && focused !== card.inputs.status && card.element.contains(focused)) {
      if (!card.placePending) {
        card.placePending = true;
        card.element.addEventListener("focusout", () => {
          setTimeout(() => {
            card.placePending = false;
            place(card);
            updateCounts();
          });
        }, { once: true });
      }
      return;
    }
    const after = [...list.children].find((element) => Number(element.dataset.entityId) > card.id);
    list.insertBefore(card.element, after || null);
    if (focused && card.element.contains(focused)) focused.focus();
  }

  /** The fields the user changed relative to the base, excluding fields waiting for a decision. */
  function changedFields(card) {
    const changes = {};
    for (const field of FIELDS) {
      if (!card.conflicts.has(field) && card.local[field] !== card.base[field]) changes[field] = card.local[field];
    }
    return changes;
  }

  /**
   * Three-way merge of the user's local values with `current`, against `card.base`. With
   * `deferConflicts` (a watch update while the user edits), a real conflict leaves the card as it
   * is and returns false; the conflict then shows when the user saves.
   */
  function merge(card, current, { deferConflicts }) {
    const plan = mergePlan({ base: card.base, local: card.local, current, conflicts: card.conflicts });
    if (deferConflicts && hasNewConflict(plan, card.conflicts)) return false;
    card.base = current;
    if (current.version > card.server.version) card.server = current;
    for (const field of FIELDS) {
      const step = plan[field];
      if (step.kind === "theirs") {
        card.local[field] = current[field];
      } else if (step.kind === "conflict") {
        card.conflicts.set(field, { mine: step.mine });
        card.local[field] = current[field];
      }
    }
    place(card);
    updateCounts();
    return true;
  }

  async function sync(card) {
    if (card.inFlight || signal.aborted) return;
    const changes = changedFields(card);
    if (Object.keys(changes).length === 0) {
      render(card);
      return;
    }
    card.inFlight = true;
    card.error = null;
    render(card);
    try {
      const result = await call("entities.update", { entityId: card.id, changes, baseVersion: card.base.version }, { signal });
      card.inFlight = false;
      if (result.conflict) {
        merge(card, result.current, { deferConflicts: false });
      } else {
        // The server now holds what was sent: against that base, text typed meanwhile stays "mine".
        card.base = { ...card.base, ...changes };
        merge(card, result.entity, { deferConflicts: false });
      }
      // A newer version may have arrived through the watch while the update was in flight.
      if (card.server.version > card.base.version) merge(card, card.server, { deferConflicts: true });
    } catch (error) {
      card.inFlight = false;
      if (signal.aborted) return;
      card.error = error;
      if (error.retryable) setTimeout(() => sync(card), 2000);
      else toast(errorMessage(error), "error");
    }
    render(card);
    if (Object.keys(changedFields(card)).length > 0 && !card.error) sync(card);
  }

  function resolve(card, field, choice) {
    const conflict = card.conflicts.get(field);
    if (!conflict) return;
    card.conflicts.delete(field);
    card.local[field] = resolution(field, choice, { mine: conflict.mine, theirs: card.base[field] });
    place(card);
    updateCounts();
    render(card);
    sync(card);
  }

  function render(card) {
    const { inputs, element } = card;
    for (const field of FIELDS) {
      const input = inputs[field];
      if (input.value !== card.local[field]) input.value = card.local[field];
      input.disabled = card.conflicts.has(field);
    }
    const dirty = Object.keys(changedFields(card)).length > 0;
    const state = card.conflicts.size > 0 ? "conflict" : card.inFlight ? "syncing" : card.error ? "error" : dirty ? "edited" : "idle";
    element.dataset.sync = state;
    element.dataset.version = String(card.base.version);
    card.badge.textContent = { conflict: "needs you", syncing: "syncing…", error: "not saved", edited: "unsaved", idle: "" }[state];
    card.badge.dataset.badge = state;
    card.meta.textContent = `v${card.base.version} · ${timeAgo(card.base.updatedAt)}`;
    fitHeight(inputs.title); // after the badge, which takes width from the title
    replaceChildren(card.conflictBox, [...card.conflicts].map(([field, conflict]) =>
      h("div", { class: "conflict", dataset: { conflictField: field } },
        h("p", { class: "conflict-title" }, `Someone else changed the ${FIELD_NAMES[field].toLowerCase()} while you were editing it.`),
        h("div", { class: "conflict-sides" },
          h("div", { class: "side mine" }, h("span", { class: "side-label" }, "Yours"), h("div", { class: "side-text", dataset: { side: "mine" } }, conflict.mine || "(empty)")),
          h("div", { class: "side theirs" }, h("span", { class: "side-label" }, "Theirs"), h("div", { class: "side-text", dataset: { side: "theirs" } }, card.base[field] || "(empty)"))),
        h("div", { class: "conflict-actions" },
          h("button", { type: "button", class: "button small primary", dataset: { resolve: "mine" }, onclick: () => resolve(card, field, "mine") }, "Keep mine"),
          h("button", { type: "button", class: "button small", dataset: { resolve: "theirs" }, onclick: () => resolve(card, field, "theirs") }, "Keep theirs"),
          field === "status" ? null : h("button", { type: "button", class: "button small", dataset: { resolve: "both" }, onclick: () => resolve(card, field, "both") }, "Keep both")))));
  }
}
