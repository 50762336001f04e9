// Directory: infinite scroll over `participants.page` (keyset pagination). An IntersectionObserver
// watches a sentinel below the list; the next page is requested only while the sentinel is visible,
// and never twice at once. `hasMore: false` ends it with "End of list".
import { call, query } from "/_remote/client.js";
import { h, replaceChildren, skeleton, statusPill, avatar, dateTime, number, errorMessage } from "../dom.js";

const PAGE_SIZE = 25;

export function mount(root, { code, signal, setConnection }) {
  const list = h("ol", { class: "directory", id: "directory", dataset: { pages: "0", hasMore: "true", requests: "0" } });
  const sentinel = h("li", { class: "sentinel", id: "sentinel", "aria-hidden": "true" });
  const status = h("div", { class: "directory-status", id: "directory-status" });
  const scroller = h("div", { class: "scroller card", id: "scroller", tabindex: "0" }, list, status);
  const summary = h("span", { class: "muted small", id: "directory-summary" }, "");
  const addButton = h("button", { class: "button", type: "button", id: "add-demo" }, "Add 30 demo people");

  replaceChildren(root,
    h("div", { class: "panel-head" },
      h("div", {}, h("h1", {}, "Directory"), h("p", { class: "muted" }, "Everyone who joined, oldest first. More load as you scroll.")),
      h("div", { class: "head-actions" }, summary, addButton)),
    scroller);

  let cursor = null;
  let hasMore = true;
  let loading = false;
  let pages = 0;
  let requests = 0;
  let count = 0;
  const seen = new Set();

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) loadNext();
  }, { root: scroller, threshold: 0 });
  signal.addEventListener("abort", () => observer.disconnect(), { once: true });

  setConnection("open");
  list.append(sentinel);
  observer.observe(sentinel);

  async function loadNext() {
    if (loading || !hasMore || signal.aborted) return;
    loading = true;
    list.dataset.loading = "true";
    const placeholders = Array.from({ length: pages === 0 ? 8 : 3 }, () => h("li", { class: "person-row skeleton-row" },
      h("span", { class: "avatar skeleton" }), h("div", { class: "grow" }, skeleton("9rem"), skeleton("6rem", "0.7rem")), skeleton("4rem", "1.2rem")));
    sentinel.before(...placeholders);
    replaceChildren(status, "");
    try {
      requests += 1;
      list.dataset.requests = String(requests);
      const page = await query("participants.page", { sessionCode: code, cursor: cursor ?? undefined, pageSize: PAGE_SIZE }, { signal });
      placeholders.forEach((element) => element.remove());
      pages += 1;
      // At the end there is no next cursor; keep the last one, so that "Add" can resume from it.
      if (page.nextCursor) cursor = page.nextCursor;
      hasMore = Boolean(page.hasMore && page.nextCursor);
      for (const participant of page.items) {
        if (seen.has(participant.id)) continue;
        seen.add(participant.id);
        count += 1;
        sentinel.before(h("li", { class: "person-row", dataset: { participantId: participant.id, page: pages } },
          avatar(participant.name),
          h("div", { class: "grow" }, h("div", { class: "name" }, participant.name), h("div", { class: "muted small" }, `#${participant.id} · joined ${dateTime(participant.joinedAt)}`)),
          statusPill(participant.status)));
      }
      list.dataset.pages = String(pages);
      list.dataset.hasMore = String(hasMore);
      list.dataset.count = String(count);
      summary.textContent = `${number(count)} loaded · ${pages} page${pages === 1 ? "" : "s"}`;
      if (!hasMore) {
        observer.disconnect();
        sentinel.remove();
        replaceChildren(status, h("p", { class: "end-of-list", id: "end-of-list" }, count === 0 ? "Nobody has joined yet." : `End of list · ${number(count)} participants`));
      }
    } catch (error) {
      placeholders.forEach((element) => element.remove());
      if (signal.aborted) return;
      replaceChildren(status, h("p", { class: "error-text" }, errorMessage(error), " ",
        h("button", { class: "button small", type: "button", onclick: () => loadNext() }, "Retry")));
    } finally {
      loading = false;
      list.dataset.loading = "false";
    }
    if (hasMore && !signal.aborted) {
      // Re-observe so a sentinel that is still visible (a short page) reports again.
      observer.unobserve(sentinel);
      observer.observe(sentinel);
    }
  }

  addButton.addEventListener("click", async () => {
    addButton.disabled = true;
    const first = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Frances", "Niklaus", "Radia", "Leslie", "Katherine", "Tim", "Hedy"];
    const last = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson", "Allen", "Wirth", "Perlman", "Lamport", "Johnson", "Berners-Lee", "Lamarr"];
    try {
      for (let i = 0; i < 30; i++) {
        const name = `${first[Math.floor(Math.random() * first.length)]} ${last[Math.floor(Math.random() * last.length)]}`;
        await call("participants.join", { sessionCode: code, name }, { signal });
      }
      if (!hasMore && !signal.aborted) {
        // The end was reached: resume from the last cursor to pick up the newcomers.
        hasMore = true;
        status.replaceChildren();
        list.append(sentinel);
        observer.observe(sentinel);
      }
    } catch (error) {
      if (!signal.aborted) replaceChildren(status, h("p", { class: "error-text" }, errorMessage(error)));
    } finally {
      addButton.disabled = false;
    }
  });
}
