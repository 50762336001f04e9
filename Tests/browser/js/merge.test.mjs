// The board's three-way merge policy: `node --test Tests/browser/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mergePlan, hasNewConflict, resolution } from "../../../Sources/LiveSessionsServer/Public/js/merge.js";

const base = { title: "Plan", notes: "", status: "todo" };

test("a field only the user changed is kept and a field only the server changed is taken", () => {
  const plan = mergePlan({ base, local: { ...base, title: "Plan v2" }, current: { ...base, status: "doing" } });
  assert.deepEqual(plan, { title: { kind: "mine" }, notes: { kind: "theirs" }, status: { kind: "theirs" } });
  assert.equal(hasNewConflict(plan), false);
});

test("a field both changed to different values is a conflict that keeps the user's text", () => {
  const plan = mergePlan({ base, local: { ...base, notes: "mine" }, current: { ...base, notes: "theirs" } });
  assert.deepEqual(plan.notes, { kind: "conflict", mine: "mine" });
  assert.equal(hasNewConflict(plan), true);
});

test("the same change on both sides is not a conflict", () => {
  const plan = mergePlan({ base, local: { ...base, notes: "same" }, current: { ...base, notes: "same" } });
  assert.deepEqual(plan.notes, { kind: "theirs" });
});

test("a conflict waiting for a decision stays one, with the user's original text", () => {
  const conflicts = new Map([["notes", { mine: "first draft" }]]);
  const plan = mergePlan({ base: { ...base, notes: "theirs" }, local: { ...base, notes: "theirs" }, current: { ...base, notes: "theirs again" }, conflicts });
  assert.deepEqual(plan.notes, { kind: "conflict", mine: "first draft" });
  assert.equal(hasNewConflict(plan, conflicts), false);
});

test("resolutions: keep mine, keep theirs, keep both", () => {
  const sides = { mine: "B", theirs: "A" };
  assert.equal(resolution("notes", "mine", sides), "B");
  assert.equal(resolution("notes", "theirs", sides), "A");
  assert.equal(resolution("notes", "both", sides), "A\n\nB");
  assert.equal(resolution("title", "both", sides), "A / B");
});
