// The review desk's pages: every action goes through the JSON API (/api/...), with the
// session cookie and the X-CSRF-Token header. Text from records is only ever set as text.
"use strict";

function csrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = {};
  try { data = await response.json(); } catch (e) { data = {}; }
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function say(id, text, bad) {
  const el = document.getElementById(id);
  if (!el) return;
  el.textContent = text;
  el.classList.toggle("error", !!bad);
}

function typing(event) {
  const t = event.target;
  return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
}

function setupLogin() {
  const form = document.getElementById("login");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("POST", "/api/login", {
        username: document.getElementById("username").value,
        password: document.getElementById("password").value,
      });
      window.location.assign("/");
    } catch (e) {
      say("login-error", e.message, true);
    }
  });
}

function setupLogout() {
  const button = document.getElementById("logout");
  if (!button) return;
  button.addEventListener("click", async () => {
    try { await api("POST", "/api/logout"); } finally { window.location.assign("/login"); }
  });
}

function setupQueue() {
  const rows = Array.from(document.querySelectorAll("#queue tr.item"));
  if (!rows.length) return;
  let at = 0;
  const mark = () => rows.forEach((r, i) => r.classList.toggle("current", i === at));
  mark();
  rows.forEach((r) => r.addEventListener("dblclick", () => window.location.assign(r.dataset.href)));
  document.addEventListener("keydown", (event) => {
    if (typing(event)) return;
    if (event.key === "j" || event.key === "ArrowDown") { at = Math.min(rows.length - 1, at + 1); mark(); event.preventDefault(); }
    else if (event.key === "k" || event.key === "ArrowUp") { at = Math.max(0, at - 1); mark(); event.preventDefault(); }
    else if (event.key === "Enter") { window.location.assign(rows[at].dataset.href); }
  });
}

function corrections() {
  const found = {};
  document.querySelectorAll("#decide [data-field]").forEach((input) => {
    if (input.value.trim()) found[input.dataset.field] = input.value.trim();
  });
  return found;
}

function chooseRelief(value) {
  const radio = document.querySelector(`#decide input[name="relief"][value="${CSS.escape(value)}"]`);
  if (radio) { radio.checked = true; return true; }
  return false;
}

function setupItem() {
  const item = document.getElementById("item");
  if (!item) return;
  const countId = item.dataset.countId;
  const form = document.getElementById("decide");
  let proposal = item.dataset.proposal || "";

  const preview = document.getElementById("preview");
  if (preview) {
    preview.addEventListener("click", async () => {
      say("outcome", "deciding again…");
      try {
        const out = await api("POST", "/api/preview", { count_id: countId, corrections: corrections() });
        let text = `New outcome: ${out.relief || "not considered"}: ${out.reason}`;
        if (out.others && out.others.length) {
          text += " · also changes " + out.others.map((o) => `${o.count_id}: ${o.before} → ${o.after}`).join(", ");
        }
        say("outcome", text);
        if (out.relief && out.relief !== "hand_review") {
          proposal = out.relief;
          const p = document.getElementById("proposal");
          p.textContent = "";
          const strong = document.createElement("strong");
          strong.textContent = out.relief;
          p.append(strong, " (the count decided again with the corrections; press a to accept)");
        }
      } catch (e) {
        say("outcome", e.message, true);
      }
    });
  }

  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = form.querySelector('input[name="relief"]:checked');
      if (!chosen) { say("decide-result", "pick a relief (1-6) or accept the proposal (a)", true); return; }
      try {
        const out = await api("POST", "/api/decisions", {
          count_id: countId,
          relief: chosen.value,
          reason: document.getElementById("reason").value,
          corrections: corrections(),
        });
        say("decide-result", `Saved: ${out.decision.relief}, waiting for an approver (decision #${out.decision.id}).`);
        const state = document.getElementById("state");
        state.textContent = `State: awaiting approval: ${out.decision.relief} (${out.decision.reviewer})`;
        form.dataset.saved = "1";
      } catch (e) {
        say("decide-result", e.message, true);
      }
    });
  }

  document.addEventListener("keydown", (event) => {
    if (typing(event)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.key === "j" && item.dataset.next) window.location.assign(item.dataset.next);
    else if (event.key === "k" && item.dataset.previous) window.location.assign(item.dataset.previous);
    else if (event.key === "o" && item.dataset.page) window.open(item.dataset.page, "_blank", "noopener");
    else if (event.key === "a" && form) {
      if (proposal && chooseRelief(proposal)) { document.getElementById("reason").focus(); event.preventDefault(); }
      else say("decide-result", "no proposal to accept: pick a relief (1-6)", true);
    } else if (event.key === "r" && form) { document.getElementById("reason").focus(); event.preventDefault(); }
    else if (/^[1-9]$/.test(event.key) && form) {
      const radios = form.querySelectorAll('input[name="relief"]');
      const radio = radios[Number(event.key) - 1];
      if (radio) radio.checked = true;
    }
  });
}

function setupApprovals() {
  document.querySelectorAll("#approvals tr.approval").forEach((row) => {
    const id = row.dataset.decision;
    const note = row.querySelector("input.note");
    const act = async (approve) => {
      try {
        const out = await api("POST", `/api/decisions/${id}/approval`, { approve, note: note ? note.value : "" });
        row.querySelector("td.actions").textContent = out.decision.state;
        row.classList.add("settled");
        say("approval-result", `#${id} ${out.decision.state}`);
      } catch (e) {
        say("approval-result", e.message, true);
      }
    };
    const a = row.querySelector("button.approve");
    const r = row.querySelector("button.reject");
    if (a) a.addEventListener("click", () => act(true));
    if (r) r.addEventListener("click", () => act(false));
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupLogin();
  setupLogout();
  setupQueue();
  setupItem();
  setupApprovals();
});
