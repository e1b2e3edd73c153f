// Gongzhi sandbox web chat. Plain JS, no build step, no network beyond this page's server.
// It draws what the bot sent through the (fake) Bot API and acts as the chosen demo person.
"use strict";
(function () {
  const boot = JSON.parse(document.getElementById("boot").textContent);
  const L = boot.labels;
  const $ = (id) => document.getElementById(id);
  const people = new Map(boot.people.map((p) => [p.key, p]));
  const COMMANDS = {
    resident: ["/report", "/my", "/help", "/lang", "/cancel"],
    staff: ["/queue", "/help", "/lang", "/cancel"],
    other: ["/help", "/lang", "/cancel"],
  };
  const LONG_TEXT = 600;
  const state = {
    me: boot.me, chats: [], chat: null, thread: "all", messages: new Map(), seq: 0,
    boot: boot.boot, replyTo: null, poll: null, unread: new Set(), lastChat: new Map(),
  };

  const fill = (text, params) => text.replace(/\{(\w+)\}/g, (_, k) => (k in params ? String(params[k]) : ""));

  // ---- server ------------------------------------------------------------------------
  async function call(path, opts) {
    let res;
    try {
      res = await fetch(path, opts);
    } catch (e) {
      if (e.name === "AbortError") throw e;
      throw new Error(L["offline"]);
    }
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!body || !body.ok) throw new Error((body && body.error) || L["error-generic"]);
    return body.result;
  }
  const q = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ""));
  const get = (path, params, signal) => call(`${path}?${q(params)}`, { signal });
  const post = (path, body) => call(path, body instanceof FormData ? { method: "POST", body }
    : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  // ---- feedback ----------------------------------------------------------------------
  let toastTimer = null;
  function toast(text) {
    const el = $("toast");
    el.textContent = text;
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, 3500);
  }
  function alertBox(text) {
    $("alert-text").textContent = text;
    $("alert").hidden = false;
    $("alert-ok").focus();
  }
  $("alert-ok").addEventListener("click", () => { $("alert").hidden = true; $("text").focus(); });

  // ---- drawing -----------------------------------------------------------------------
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const currentChat = () => state.chats.find((c) => c.id === state.chat) || null;
  const topicName = (id) => {
    const c = currentChat();
    const tp = c && c.topics.find((x) => x.id === id);
    return tp ? tp.name : String(id);
  };
  function shown(m) {
    if (state.thread === "all") return true;
    if (state.thread === "general") return m.thread === null || m.thread === undefined;
    return m.thread === Number(state.thread);
  }
  function time(m) {
    if (!m.date) return "";
    const d = new Date(m.date * 1000);
    return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
  }

  function messageEl(m) {
    if (m.topic_created !== undefined) {
      const s = el("div", "service", fill(L["topic-created"], { name: m.topic_created }));
      s.dataset.id = m.id;
      return s;
    }
    const mine = !m.bot && m.from_id === people.get(state.me).user_id;
    const wrap = el("div", `msg ${m.bot ? "bot" : mine ? "mine" : "other"}`);
    wrap.dataset.id = m.id;
    const bubble = el("div", "bubble");
    const chat = currentChat();
    if (!mine && chat && !chat.private) bubble.append(el("div", "sender", m.sender));
    if (chat && chat.forum && state.thread === "all" && m.thread) {
      bubble.append(el("div", "topic", fill(L["in-topic"], { name: topicName(m.thread) })));
    }
    if (m.reply_to) bubble.append(el("div", "quote", m.reply_to.text || "…"));
    if (m.photo) {
      const img = el("img", "photo");
      img.src = `/api/file/${encodeURIComponent(m.photo)}`;
      img.alt = L["photo"];
      img.addEventListener("load", () => stickToBottom(true), { once: true });
      bubble.append(img);
    }
    if (m.location) {
      bubble.append(el("div", "location", fill(L["location-label"], { lat: m.location[0].toFixed(4), lon: m.location[1].toFixed(4) })));
    }
    if (m.text) {
      const text = el("div", "text", m.text);
      bubble.append(text);
      if (m.text.length > LONG_TEXT) {  // a very long text is folded; "more" unfolds it
        text.classList.add("folded");
        const more = el("button", "more", L["more"]);
        more.type = "button";
        more.addEventListener("click", () => { text.classList.remove("folded"); more.remove(); });
        bubble.append(more);
      }
    }
    const meta = el("div", "meta");
    if (m.edited) meta.append(el("span", "edited", L["edited"]));
    meta.append(el("span", "time", time(m)));
    if (m.bot || (chat && !chat.private)) {
      const r = el("button", "reply-link", L["reply"]);
      r.type = "button";
      r.addEventListener("click", () => setReply(m));
      meta.append(r);
    }
    bubble.append(meta);
    wrap.append(bubble);
    if (m.buttons) {
      const kb = el("div", "keyboard");
      for (const row of m.buttons) {
        const r = el("div", "kb-row");
        for (const b of row) {
          const btn = el("button", "kb-btn", b.text);
          btn.type = "button";
          btn.dataset.data = b.data || "";
          btn.disabled = !b.data;
          btn.addEventListener("click", () => press(m, b.data, kb));
          r.append(btn);
        }
        kb.append(r);
      }
      wrap.append(kb);
    }
    return wrap;
  }

  function nearBottom() {
    const log = $("log");
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }
  function stickToBottom(force) {
    const log = $("log");
    if (force === true || nearBottom()) log.scrollTop = log.scrollHeight;
  }

  function render() {
    const log = $("log");
    log.replaceChildren();
    const list = [...state.messages.values()].filter(shown).sort((a, b) => a.id - b.id);
    if (!list.length) log.append(el("p", "empty", L["empty-chat"]));
    for (const m of list) log.append(messageEl(m));
    log.scrollTop = log.scrollHeight;
  }

  function upsert(m) {
    const had = state.messages.has(m.id);
    if (had && JSON.stringify(state.messages.get(m.id)) === JSON.stringify(m)) return;
    state.messages.set(m.id, m);
    if (!shown(m)) return;
    const log = $("log");
    const stick = nearBottom();
    const old = log.querySelector(`[data-id="${m.id}"]`);
    if (old) { old.replaceWith(messageEl(m)); if (stick) stickToBottom(true); return; }
    if (had) return;
    const empty = log.querySelector(".empty");
    if (empty) empty.remove();
    const later = [...log.children].find((c) => Number(c.dataset.id) > m.id);
    log.insertBefore(messageEl(m), later || null);
    if (stick || !m.bot) stickToBottom(true);
  }

  // ---- chats, people, threads ---------------------------------------------------------
  function fillPeople() {
    const sel = $("person");
    sel.replaceChildren(...boot.people.map((p) => {
      const o = el("option", "", `${p.name} · ${p.role} · ${p.org}`);
      o.value = p.key;
      return o;
    }));
    sel.value = state.me;
  }
  function fillChats() {
    const sel = $("chat");
    sel.replaceChildren(...state.chats.map((c) => {
      const o = el("option", "", (state.unread.has(c.id) ? "● " : "") + c.title);
      o.value = c.id;
      return o;
    }));
    sel.value = String(state.chat);
    $("chat-pick").hidden = state.chats.length < 2;
    const chat = currentChat();
    const tsel = $("thread");
    $("thread-pick").hidden = !(chat && chat.forum);
    if (chat && chat.forum) {
      const opts = [["all", L["thread-all"]], ["general", L["thread-general"]], ...chat.topics.map((t) => [String(t.id), t.name])];
      tsel.replaceChildren(...opts.map(([v, text]) => { const o = el("option", "", text); o.value = v; return o; }));
      tsel.value = state.thread;
    }
    const role = people.get(state.me).role_key;
    const set = chat && chat.commands && chat.commands.length ? chat.commands : null;  // setMyCommands
    const cmds = chat && chat.private ? (set || COMMANDS[role] || COMMANDS.other) : [];
    $("commands").replaceChildren(...["/start", ...cmds].filter(() => chat && chat.private).map((c) => {
      const b = el("button", "cmd", c);
      b.type = "button";
      b.addEventListener("click", () => sendText(c));
      return b;
    }));
  }

  async function loadChat() {
    const res = await get("/api/messages", { as: state.me, chat: state.chat });
    state.messages = new Map(res.messages.map((m) => [m.id, m]));
    state.unread.delete(state.chat);
    fillChats();
    render();
    return res.seq;
  }

  function langLink() {  // this page, for the same person, in the other language
    const url = new URL(location.href);
    url.searchParams.set("lang", boot.other_lang);
    $("lang-switch").href = url.toString();
  }

  async function loadPerson(key) {
    state.me = key;
    $("toast").hidden = true;
    const url = new URL(location.href);
    url.searchParams.set("as", key);
    history.replaceState(null, "", url);
    langLink();
    setReply(null);
    state.chats = await get("/api/chats", { as: key });
    const remembered = state.lastChat.get(key);
    state.chat = state.chats.some((c) => c.id === remembered) ? remembered : state.chats[0].id;
    state.thread = "all";
    state.unread.clear();
    state.seq = await loadChat();
    restartPoll();
  }

  // ---- live updates (long poll) -------------------------------------------------------
  function restartPoll() {
    if (state.poll) state.poll.abort();
    const ctl = new AbortController();
    state.poll = ctl;
    pollLoop(ctl).catch(() => {});
  }
  async function pollLoop(ctl) {
    while (!ctl.signal.aborted) {
      try {
        const res = await get("/api/events", { as: state.me, since: state.seq, wait: 25 }, ctl.signal);
        $("offline").hidden = true;
        if (res.boot !== state.boot) {  // the sandbox restarted: start over from its history
          state.boot = res.boot;
          state.chats = await get("/api/chats", { as: state.me });
          state.seq = await loadChat();
          continue;
        }
        state.seq = res.seq;
        for (const e of res.events) await apply(e);
      } catch (e) {
        if (ctl.signal.aborted) return;
        $("offline").hidden = false;
        await new Promise((r) => setTimeout(r, 1500));
      }
    }
  }
  async function apply(e) {
    if (e.type === "topic_created") {
      state.chats = await get("/api/chats", { as: state.me });
      fillChats();
      return;
    }
    const chat = e.type === "delete" ? e.chat : e.message.chat;
    if (chat !== state.chat) {
      if (e.type === "message") { state.unread.add(chat); fillChats(); toast(L["new-messages"]); }
      return;
    }
    if (e.type === "delete") {
      state.messages.delete(e.message_id);
      const old = $("log").querySelector(`[data-id="${e.message_id}"]`);
      if (old) old.remove();
      return;
    }
    upsert(e.message);
    if (state.menuStale && e.type === "message") {  // the bot answered: read its command menu again
      state.menuStale = false;
      state.chats = await get("/api/chats", { as: state.me });
      fillChats();
    }
  }

  // ---- acting as the person -------------------------------------------------------------
  function where() {
    const thread = /^\d+$/.test(state.thread) ? Number(state.thread) : null;
    return { as: state.me, chat: state.chat, thread, reply_to: state.replyTo };
  }
  function setReply(m) {
    state.replyTo = m ? m.id : null;
    $("replybar").hidden = !m;
    if (m) {
      $("replying").textContent = fill(L["replying"], { text: (m.text || L["photo"]).slice(0, 60) });
      $("text").focus();
    }
  }
  async function act(path, body) {
    try {
      const m = await post(path, body);
      setReply(null);
      upsert(m);
      return true;
    } catch (e) {
      toast(e.message);
      return false;
    }
  }
  async function sendText(text) {
    if (!text.trim()) { toast(L["error-empty"]); return false; }
    if (text.startsWith("/")) state.menuStale = true;  // the bot may set this chat's menu
    return act("/api/text", { ...where(), text });
  }
  async function press(m, data, kb) {
    if (!data) return;
    kb.classList.add("busy");
    try {
      const res = await post("/api/press", { as: state.me, chat: m.chat, message_id: m.id, data });
      if (res.answer && res.answer.alert) alertBox(res.answer.text);
      else if (res.answer) toast(res.answer.text);
    } catch (e) {
      toast(e.message);
    } finally {
      kb.classList.remove("busy");
    }
  }

  $("composer").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const box = $("text");
    if (await sendText(box.value)) { box.value = ""; grow(); }
  });
  const grow = () => {
    const b = $("text");
    b.style.height = "auto";
    b.style.height = `${Math.min(b.scrollHeight, 140)}px`;
    b.style.overflowY = b.scrollHeight > 140 ? "auto" : "hidden";
  };
  $("text").addEventListener("input", grow);
  $("text").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); $("composer").requestSubmit(); }
  });
  $("photo").addEventListener("change", async () => {
    const input = $("photo");
    if (!input.files.length) return;
    const form = new FormData();
    for (const [k, v] of Object.entries(where())) if (v !== null) form.append(k, v);
    form.append("caption", $("text").value);
    form.append("photo", input.files[0]);
    if (await act("/api/photo", form)) { $("text").value = ""; grow(); }
    input.value = "";
  });
  $("location").addEventListener("click", () => act("/api/location", where()));
  $("reply-cancel").addEventListener("click", () => setReply(null));
  $("person").addEventListener("change", (ev) => {
    state.lastChat.set(state.me, state.chat);
    loadPerson(ev.target.value).catch((e) => toast(e.message));
  });
  $("chat").addEventListener("change", (ev) => {
    state.chat = Number(ev.target.value);
    state.thread = "all";
    setReply(null);
    loadChat().catch((e) => toast(e.message));
  });
  $("thread").addEventListener("change", (ev) => { state.thread = ev.target.value; setReply(null); render(); });

  // ---- start -----------------------------------------------------------------------------
  document.title = L["title"];
  $("brand").textContent = L["title"];
  $("banner").textContent = L["banner"];
  $("offline").textContent = L["offline"];
  $("person-label").textContent = L["person"];
  $("chat-label").textContent = L["chat"];
  $("thread-label").textContent = L["thread"];
  $("photo-label").textContent = L["photo"];
  $("photo-btn").title = L["photo"];
  $("location-label").textContent = L["location"];
  $("location").title = L["location"];
  $("send").textContent = L["send"];
  $("text").placeholder = L["placeholder"];
  $("reply-cancel").title = L["cancel-reply"];
  $("alert-ok").textContent = L["ok"];
  $("lang-switch").textContent = L["switch-lang"];
  fillPeople();
  loadPerson(state.me).catch((e) => toast(e.message));
})();
