// Small DOM and formatting helpers shared by the panels.

/** Creates an element: h("div", {class: "card", dataset: {id: 1}, onclick}, child, "text", …). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key === "style" && typeof value === "object") {
      for (const [property, setting] of Object.entries(value)) {
        if (property.startsWith("--")) element.style.setProperty(property, setting);
        else element.style[property] = setting;
      }
    }
    else if (key.startsWith("on") && typeof value === "function") element.addEventListener(key.slice(2), value);
    else if (key === "value") element.value = value;
    else if (value === true) element.setAttribute(key, "");
    else element.setAttribute(key, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** A grey animated placeholder bar. */
export function skeleton(width = "100%", height = "0.9rem") {
  return h("span", { class: "skeleton", style: { width, height } });
}

const STATUS_LABELS = { active: "Active", idle: "Idle", away: "Away", todo: "To do", doing: "Doing", done: "Done" };

/** A coloured status pill. */
export function statusPill(status) {
  return h("span", { class: `pill pill-${status}`, dataset: { status } }, h("i", { class: "dot" }), STATUS_LABELS[status] || status);
}

/** Two-letter initials in a coloured circle, the colour derived from the name. */
export function avatar(name) {
  const initials = name.split(/\s+/).filter(Boolean).slice(0, 2).map((word) => word[0].toUpperCase()).join("") || "?";
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return h("span", { class: "avatar", style: { "--hue": String(hash % 360) }, "aria-hidden": "true" }, initials);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "3 min ago" style text for an ISO date. */
export function timeAgo(iso) {
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  if (!Number.isFinite(seconds)) return "";
  if (Math.abs(seconds) < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relative.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return relative.format(hours, "hour");
  return relative.format(Math.round(hours / 24), "day");
}

/** Local date and time for an ISO date. */
export function dateTime(iso) {
  const date = new Date(iso);
  return Number.isFinite(date.getTime()) ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";
}

/** Formats a number with thousands separators. */
export function number(value) {
  return typeof value === "number" ? value.toLocaleString() : "—";
}

/** A short, user-facing message for an error. */
export function errorMessage(error) {
  if (error && error.name === "RemoteError") return error.message || error.code;
  return "Something went wrong.";
}

/** Shows a transient toast at the bottom of the page. */
export function toast(message, kind = "info") {
  let region = document.getElementById("toasts");
  if (!region) {
    region = h("div", { id: "toasts", class: "toasts", role: "status", "aria-live": "polite" });
    document.body.append(region);
  }
  const item = h("div", { class: `toast toast-${kind}` }, message);
  region.append(item);
  setTimeout(() => item.classList.add("leaving"), 3500);
  setTimeout(() => item.remove(), 4000);
}
