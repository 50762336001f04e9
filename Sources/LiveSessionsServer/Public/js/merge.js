// The board's three-way merge, field by field (see the policy at the top of panels/board.js).
// Pure functions, so they are tested under node (Tests/browser/js/merge.test.mjs).

/** The fields of a card that users edit. */
export const FIELDS = ["title", "notes", "status"];

/**
 * Decides, for each field, what a card shows after the server's `current` version arrives:
 * - "theirs": take current's value (the user did not change it, or changed it to the same value);
 * - "mine": keep the user's value (only the user changed it) and send it again;
 * - "conflict": both changed it differently; `mine` is the user's text, kept until they choose.
 * `base` is the version the user's edits started from, `local` the values on screen, and
 * `conflicts` (a Map field → {mine}) the conflicts already waiting for a decision.
 */
export function mergePlan({ base, local, current, conflicts = new Map() }) {
  const plan = {};
  for (const field of FIELDS) {
    const mine = local[field];
    const theirs = current[field];
    if (conflicts.has(field)) {
      plan[field] = { kind: "conflict", mine: conflicts.get(field).mine };
    } else if (mine === base[field] || mine === theirs) {
      plan[field] = { kind: "theirs" };
    } else if (theirs === base[field]) {
      plan[field] = { kind: "mine" };
    } else {
      plan[field] = { kind: "conflict", mine };
    }
  }
  return plan;
}

/** Whether a plan has a conflict that is not already waiting in `conflicts`. */
export function hasNewConflict(plan, conflicts = new Map()) {
  return FIELDS.some((field) => plan[field].kind === "conflict" && !conflicts.has(field));
}

/** The value a field takes when the user resolves a conflict. */
export function resolution(field, choice, { mine, theirs }) {
  if (choice === "mine") return mine;
  if (choice === "theirs") return theirs;
  if (field === "notes") return `${theirs}\n\n${mine}`;
  if (field === "title") return `${theirs} / ${mine}`;
  return mine;
}
